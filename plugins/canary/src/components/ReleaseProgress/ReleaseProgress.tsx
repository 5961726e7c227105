import { Box, Chip, Typography } from '@material-ui/core';
import type {
  ReleaseSummary,
  RevisionInfo,
} from '@kubemate/plugin-canary-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import { formatTime, stepTicks } from '../../lib/releases';
import { canaryTranslationRef } from '../../translation';
import { PhaseLabel } from '../PhaseLabel';

function Revision(props: { label: string; revision?: RevisionInfo }) {
  const { label, revision } = props;
  const { t } = useTranslationRef(canaryTranslationRef);
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
            {revision.ciRevision
              ? t('progress.ciRevision', { revision: revision.ciRevision })
              : t('progress.ciRevisionNone')}
          </Typography>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          {t('progress.notReported')}
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
  const { t } = useTranslationRef(canaryTranslationRef);
  const values = {
    weight: String(canaryWeight),
    max: String(max),
    step: String(stepWeight),
  };
  return (
    <Box
      role="meter"
      aria-label={t('weightBar.label')}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={canaryWeight}
      aria-valuetext={
        stepWeight
          ? t('weightBar.valueTextSteps', values)
          : t('weightBar.valueText', values)
      }
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
        title={t('weightBar.maxWeight', values)}
      />
      {ticks.map(tick => (
        <Box
          key={tick}
          position="absolute"
          left={`${tick}%`}
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
  const { t } = useTranslationRef(canaryTranslationRef);
  const { dateTime } = useFormatters();
  const max = r.maxWeight ?? 100;
  const weights = {
    weight: String(r.canaryWeight),
    max: String(max),
    step: String(r.stepWeight),
  };
  const failed = String(r.failedChecks);
  const conditions = (r.match ?? [])
    .map(m => `${m.header} ${m.type === 'Exact' ? '=' : '~'} ${m.value}`)
    .reduce<string | undefined>(
      (left, right) =>
        left === undefined ? right : t('progress.matchAnd', { left, right }),
      undefined,
    );
  const gateLabel = (g: ReleaseSummary['gates'][number]) => {
    if (g.open) {
      return g.openedBy
        ? t('progress.gateOpenBy', { gate: g.type, user: g.openedBy })
        : t('progress.gateOpen', { gate: g.type });
    }
    return g.waiting
      ? t('progress.gateClosedWaiting', { gate: g.type })
      : t('progress.gateClosed', { gate: g.type });
  };
  return (
    <Box>
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Box mr={2}>
          <PhaseLabel phase={r.phase} />
        </Box>
        <Typography variant="body2" color="textSecondary">
          {t('progress.placement', {
            cluster: r.cluster,
            namespace: r.namespace,
            target: r.target,
            time: formatTime(dateTime, r.lastTransitionTime),
          })}
        </Typography>
      </Box>
      {r.message && (
        // Flagger's own status message, in its words (like a Kubernetes event's message)
        <Typography variant="body2" style={{ marginTop: 4 }} translate="no">
          {r.message}
        </Typography>
      )}
      <Box mt={2}>
        <Typography variant="body2">
          {r.stepWeight
            ? t('progress.weightStep', weights)
            : t('progress.weight', weights)}
        </Typography>
        <WeightBar
          canaryWeight={r.canaryWeight}
          stepWeight={r.stepWeight}
          maxWeight={r.maxWeight}
        />
      </Box>
      <Box display="flex" flexWrap="wrap" my={1}>
        <Box mr={4}>
          <Typography variant="body2">
            {t('progress.iterations', { iterations: String(r.iterations) })}
          </Typography>
        </Box>
        <Box mr={4}>
          <Typography
            variant="body2"
            color={r.failedChecks > 0 ? 'error' : 'textPrimary'}
          >
            {r.threshold !== undefined
              ? t('progress.failedChecksOf', {
                  failed,
                  threshold: String(r.threshold),
                })
              : t('progress.failedChecks', { failed })}
          </Typography>
        </Box>
        {r.match && r.match.length > 0 && (
          <Box mr={4}>
            <Typography variant="body2">
              {t('progress.abMatch', { conditions: conditions ?? '' })}
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
                label={gateLabel(g)}
              />
            </Box>
          ))}
      </Box>
      <Box display="flex" flexWrap="wrap">
        <Revision label={t('progress.canaryRevision')} revision={r.canary} />
        <Revision label={t('progress.primaryRevision')} revision={r.primary} />
      </Box>
    </Box>
  );
}
