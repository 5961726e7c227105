import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
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
  DiffState,
  Finding,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import { useChecks, useDiff, useRuns } from '../../hooks';
import { sortFindings } from '../../lib/findings';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';
import { useInspectionsPaths } from '../../lib/paths';
import { FindingsTable } from '../FindingsTable';
import { GradeBadge } from '../GradeBadge';

/** The sections of a diff (titles and help in the translation ref). */
const SECTIONS: DiffState[] = ['new', 'resolved', 'unchanged', 'notComparable'];

function RunPicker(props: {
  label: string;
  value?: string;
  runs: RunSummary[];
  onChange: (id: string) => void;
}) {
  const { label, value, runs, onChange } = props;
  const fmt = useInspectionsFormat();
  const { t } = fmt;
  const runLabel = (r: RunSummary) =>
    `${fmt.time(r.startedAt)} · ${fmt.scope(r.scope)}${
      r.scores ? ` · ${r.scores.grade} ${fmt.score(r.scores.overall)}` : ''
    }`;
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
          {r.startedAt ? runLabel(r) : t('compare.run', { id: r.id })}
        </MenuItem>
      ))}
    </TextField>
  );
}

function RunCard(props: { title: string; run: RunSummary }) {
  const paths = useInspectionsPaths();
  const fmt = useInspectionsFormat();
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
          <Link to={paths.run(run.id)}>{fmt.time(run.startedAt)}</Link>
          <Typography variant="body2" color="textSecondary">
            {fmt.t('compare.runDetails', {
              scope: fmt.scope(run.scope),
              hash: run.rulesetHash.slice(0, 12),
              executed: String(run.coverage.executed),
              planned: String(run.coverage.planned),
            })}
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
  const { t } = useInspectionsFormat();
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
    body = <Typography>{t('compare.pickRuns')}</Typography>;
  } else if (diff.loading && !diff.value) {
    body = <Progress />;
  } else if (diff.error) {
    body = <TranslatedErrorPanel error={diff.error} />;
  } else if (diff.value) {
    const d = diff.value;
    body = (
      <>
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <RunCard title={t('compare.base')} run={d.base} />
          </Grid>
          <Grid item xs={12} md={6}>
            <RunCard title={t('compare.head')} run={d.head} />
          </Grid>
        </Grid>
        {!d.comparable && (
          <Box my={2} data-testid="inspections-not-comparable">
            <WarningPanel
              severity="warning"
              title={t('compare.notComparable')}
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
            const findings: Finding[] = d[s];
            return (
              <Accordion
                key={s}
                defaultExpanded={s === 'new' || s === 'resolved'}
                data-testid={`inspections-diff-${s}`}
                TransitionProps={{ unmountOnExit: true }}
              >
                <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                  <Typography variant="h6">
                    {t('compare.sectionTitle', {
                      title: t(`compare.sections.${s}`),
                      n: String(findings.length),
                    })}
                  </Typography>
                  <Box ml={2} alignSelf="center">
                    <Typography variant="body2" color="textSecondary">
                      {t(`compare.help.${s}`)}
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
                      <Typography color="textSecondary">
                        {t('compare.none')}
                      </Typography>
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
      {runs.error && !runs.value && <TranslatedErrorPanel error={runs.error} />}
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <RunPicker
            label={t('compare.baseRun')}
            value={base}
            runs={finished}
            onChange={id => pick('base', id)}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <RunPicker
            label={t('compare.headRun')}
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
