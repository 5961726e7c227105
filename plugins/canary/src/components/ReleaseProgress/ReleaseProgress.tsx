import { Box, Chip, Typography } from '@material-ui/core';
import type {
  ReleaseSummary,
  RevisionInfo,
} from '@kubemate/plugin-canary-common';
import { formatTime, stepTicks } from '../../lib/releases';
import { PhaseLabel } from '../PhaseLabel';

function Revision(props: { label: string; revision?: RevisionInfo }) {
  const { label, revision } = props;
  return (
    <Box mr={4} mb={1}>
      <Typography variant="overline">{label}</Typography>
      {revision ? (
        <>
          {revision.images.map(i => (
            <Typography
              key={i}
              variant="body2"
              style={{ fontFamily: 'monospace' }}
            >
              {i}
            </Typography>
          ))}
          <Typography variant="body2" color="textSecondary">
            CI revision: {revision.ciRevision ?? 'not annotated'}
          </Typography>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          not reported yet
        </Typography>
      )}
    </Box>
  );
}

/**
 * The weight bar: the canary's share of the traffic (of 100), the max weight and a tick at every
 * step Flagger takes.
 */
export function WeightBar(props: {
  canaryWeight: number;
  stepWeight?: number;
  maxWeight?: number;
}) {
  const { canaryWeight, stepWeight, maxWeight } = props;
  const max = maxWeight ?? 100;
  const ticks = stepTicks(stepWeight, maxWeight);
  return (
    <Box
      role="meter"
      aria-label="Canary weight"
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={canaryWeight}
      aria-valuetext={`${canaryWeight}% of the traffic to the canary (max ${max}%${
        stepWeight ? `, steps of ${stepWeight}%` : ''
      })`}
      position="relative"
      height={18}
      bgcolor="action.hover"
      borderRadius={4}
      my={1}
    >
      <Box
        position="absolute"
        left={0}
        top={0}
        bottom={0}
        width={`${Math.min(100, canaryWeight)}%`}
        bgcolor="primary.main"
        borderRadius={4}
      />
      <Box
        position="absolute"
        left={`${Math.min(100, max)}%`}
        top={-3}
        bottom={-3}
        borderLeft="2px dashed"
        borderColor="text.secondary"
        title={`max weight ${max}%`}
      />
      {ticks.map(t => (
        <Box
          key={t}
          position="absolute"
          left={`${t}%`}
          top={0}
          bottom={0}
          borderLeft="1px solid"
          borderColor="background.paper"
        />
      ))}
    </Box>
  );
}

/** The running release: phase, step progress, iterations, failed checks and revisions. */
export function ReleaseProgress(props: { release: ReleaseSummary }) {
  const { release: r } = props;
  const max = r.maxWeight ?? 100;
  return (
    <Box>
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Box mr={2}>
          <PhaseLabel phase={r.phase} />
        </Box>
        <Typography variant="body2" color="textSecondary">
          {r.cluster}/{r.namespace} · target {r.target} · since{' '}
          {formatTime(r.lastTransitionTime)}
        </Typography>
      </Box>
      {r.message && (
        <Typography variant="body2" style={{ marginTop: 4 }}>
          {r.message}
        </Typography>
      )}
      <Box mt={2}>
        <Typography variant="body2">
          Canary weight {r.canaryWeight}% of max {max}%
          {r.stepWeight ? ` (step ${r.stepWeight}%)` : ''}
        </Typography>
        <WeightBar
          canaryWeight={r.canaryWeight}
          stepWeight={r.stepWeight}
          maxWeight={r.maxWeight}
        />
      </Box>
      <Box display="flex" flexWrap="wrap" my={1}>
        <Box mr={4}>
          <Typography variant="body2">Iterations: {r.iterations}</Typography>
        </Box>
        <Box mr={4}>
          <Typography
            variant="body2"
            color={r.failedChecks > 0 ? 'error' : 'textPrimary'}
          >
            Failed checks: {r.failedChecks}
            {r.threshold !== undefined ? ` of ${r.threshold} allowed` : ''}
          </Typography>
        </Box>
        {r.match && r.match.length > 0 && (
          <Box mr={4}>
            <Typography variant="body2">
              A/B: requests with{' '}
              {r.match
                .map(
                  m =>
                    `${m.header} ${m.type === 'Exact' ? '=' : '~'} ${m.value}`,
                )
                .join(' and ')}
            </Typography>
          </Box>
        )}
      </Box>
      <Box display="flex" flexWrap="wrap" mb={1}>
        {r.gates
          .filter(g => g.declared)
          .map(g => (
            <Box key={g.type} mr={1} mb={1}>
              <Chip
                size="small"
                color={g.open ? 'primary' : 'default'}
                label={`${g.type}: ${
                  g.open
                    ? `open${g.openedBy ? ` (by ${g.openedBy})` : ''}`
                    : `closed${g.waiting ? ', Flagger is waiting' : ''}`
                }`}
              />
            </Box>
          ))}
      </Box>
      <Box display="flex" flexWrap="wrap">
        <Revision label="Canary (rolling out)" revision={r.canary} />
        <Revision label="Primary (serving)" revision={r.primary} />
      </Box>
    </Box>
  );
}
