import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Grid,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  CheckInfo,
  Finding,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import { useChecks, useDiff, useRuns } from '../../hooks';
import { sortFindings } from '../../lib/findings';
import { formatScope, formatTime } from '../../lib/format';
import { useInspectionsPaths } from '../../lib/paths';
import { FindingsTable } from '../FindingsTable';
import { GradeBadge } from '../GradeBadge';

const SECTIONS = [
  {
    key: 'new',
    title: 'New',
    help: 'In the head run, not in the base run.',
  },
  {
    key: 'resolved',
    title: 'Resolved',
    help: 'In the base run, not in the head run, and the head ran that check there without error.',
  },
  {
    key: 'unchanged',
    title: 'Unchanged',
    help: 'In both runs.',
  },
  {
    key: 'notComparable',
    title: 'Not comparable',
    help: 'In the base run, but the head run did not run that check there, or it errored.',
  },
] as const;

const runLabel = (r: RunSummary) =>
  `${formatTime(r.startedAt)} · ${formatScope(r.scope)}${
    r.scores ? ` · ${r.scores.grade} ${r.scores.overall.toFixed(1)}` : ''
  }`;

function RunPicker(props: {
  label: string;
  value?: string;
  runs: RunSummary[];
  onChange: (id: string) => void;
}) {
  const { label, value, runs, onChange } = props;
  // a run from the URL that is not among the latest is still shown
  const options =
    value && !runs.some(r => r.id === value)
      ? [{ id: value } as RunSummary, ...runs]
      : runs;
  return (
    <TextField
      select
      label={label}
      value={value ?? ''}
      onChange={e => onChange(e.target.value)}
      fullWidth
      variant="outlined"
      margin="dense"
      SelectProps={{ SelectDisplayProps: { 'aria-label': label } as any }}
    >
      {options.map(r => (
        <MenuItem key={r.id} value={r.id}>
          {r.startedAt ? runLabel(r) : `Run ${r.id}`}
        </MenuItem>
      ))}
    </TextField>
  );
}

function RunCard(props: { title: string; run: RunSummary }) {
  const paths = useInspectionsPaths();
  const { run } = props;
  return (
    <InfoCard title={props.title}>
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <GradeBadge
          grade={run.scores?.grade}
          score={run.scores?.overall}
          size="small"
        />
        <Box>
          <Link to={paths.run(run.id)}>{formatTime(run.startedAt)}</Link>
          <Typography variant="body2" color="textSecondary">
            {formatScope(run.scope)} · ruleset {run.rulesetHash.slice(0, 12)} ·{' '}
            {run.coverage.executed}/{run.coverage.planned} executions
          </Typography>
        </Box>
      </Box>
    </InfoCard>
  );
}

/**
 * Compare two runs (`?base=&head=`): what is new, resolved, unchanged and not comparable, by
 * finding fingerprint, with a banner when the rulesets or coverage differ.
 */
export function CompareTab() {
  const [params, setParams] = useSearchParams();
  const base = params.get('base') ?? undefined;
  const head = params.get('head') ?? undefined;
  const runs = useRuns(100, 0);
  const diff = useDiff(base, head);
  const checks = useChecks();
  const checkMap = useMemo(
    () =>
      new Map<string, CheckInfo>(
        (checks.value?.checks ?? []).map(c => [c.id, c]),
      ),
    [checks.value],
  );
  const finished = (runs.value?.runs ?? []).filter(r => r.status !== 'running');

  const pick = (which: 'base' | 'head', id: string) => {
    const next = new URLSearchParams(params);
    next.set(which, id);
    setParams(next);
  };

  let body;
  if (!base || !head) {
    body = (
      <Typography>
        Pick a base run and a head run to see what changed between them.
      </Typography>
    );
  } else if (diff.loading && !diff.value) {
    body = <Progress />;
  } else if (diff.error) {
    body = <ResponseErrorPanel error={diff.error} />;
  } else if (diff.value) {
    const d = diff.value;
    body = (
      <>
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <RunCard title="Base" run={d.base} />
          </Grid>
          <Grid item xs={12} md={6}>
            <RunCard title="Head" run={d.head} />
          </Grid>
        </Grid>
        {!d.comparable && (
          <Box my={2} data-testid="inspections-not-comparable">
            <WarningPanel
              severity="warning"
              title="These runs are not fully comparable"
              defaultExpanded
            >
              <ul>
                {d.reasons.map(reason => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </WarningPanel>
          </Box>
        )}
        <Box mt={2}>
          {SECTIONS.map(s => {
            const findings: Finding[] = d[s.key];
            return (
              <Accordion
                key={s.key}
                defaultExpanded={s.key === 'new' || s.key === 'resolved'}
                data-testid={`inspections-diff-${s.key}`}
                TransitionProps={{ unmountOnExit: true }}
              >
                <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                  <Typography variant="h6">
                    {s.title} ({findings.length})
                  </Typography>
                  <Box ml={2} alignSelf="center">
                    <Typography variant="body2" color="textSecondary">
                      {s.help}
                    </Typography>
                  </Box>
                </AccordionSummary>
                <AccordionDetails style={{ display: 'block', padding: 0 }}>
                  {findings.length ? (
                    <FindingsTable
                      findings={sortFindings(findings)}
                      checks={checkMap}
                    />
                  ) : (
                    <Box p={2}>
                      <Typography color="textSecondary">None.</Typography>
                    </Box>
                  )}
                </AccordionDetails>
              </Accordion>
            );
          })}
        </Box>
      </>
    );
  }

  return (
    <>
      {runs.error && !runs.value && <ResponseErrorPanel error={runs.error} />}
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <RunPicker
            label="Base run"
            value={base}
            runs={finished}
            onChange={id => pick('base', id)}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <RunPicker
            label="Head run"
            value={head}
            runs={finished}
            onChange={id => pick('head', id)}
          />
        </Grid>
      </Grid>
      <Box mt={2}>{body}</Box>
    </>
  );
}
