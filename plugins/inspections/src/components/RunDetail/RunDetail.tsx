import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import {
  Box,
  Button,
  Grid,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  PermissionButton,
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import {
  inspectionsExemptionCreatePermission,
  type CategoryScore,
  type CheckInfo,
  type CreateExemptionRequest,
  type Exemption,
  type Finding,
  type RunDetails,
  type RunScores,
} from '@kubemate/plugin-inspections-common';
import { inspectionsApiRef } from '../../api';
import { useChecks, useLoad, useRun } from '../../hooks';
import { findingResourceRef, findingsByCategory } from '../../lib/findings';
import { formatObject, shortRef } from '../../lib/format';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';
import { useInspectionsPaths } from '../../lib/paths';
import { ExemptionRequestDialog } from '../ExemptionRequestDialog';
import { ExportMenu } from '../ExportMenu';
import { FindingsTable } from '../FindingsTable';
import { GradeBadge } from '../GradeBadge';
import { RunStatus } from '../RunStatus';
import { SeverityChips } from '../SeverityChips';
import { usePreviousRun } from './usePreviousRun';

/** The executions of a cluster's scores, summed over its categories. */
function clusterRow(s: RunScores): CategoryScore {
  const sum = (k: 'passed' | 'failed' | 'errors' | 'skipped') =>
    Object.values(s.byCategory).reduce((a, c) => a + (c?.[k] ?? 0), 0);
  return {
    score: s.overall,
    grade: s.grade,
    passed: sum('passed'),
    failed: sum('failed'),
    errors: sum('errors'),
    skipped: sum('skipped'),
  };
}

function ScoresTable(props: {
  rows: Array<[string, CategoryScore | undefined]>;
}) {
  const { t, score } = useInspectionsFormat();
  // headers never break mid-word; a narrow card scrolls instead
  const head = { whiteSpace: 'nowrap' as const };
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell />
            <TableCell style={head}>{t('run.scores.grade')}</TableCell>
            <TableCell style={head} align="right">
              {t('run.scores.score')}
            </TableCell>
            <TableCell style={head} align="right">
              {t('run.scores.passed')}
            </TableCell>
            <TableCell style={head} align="right">
              {t('run.scores.failed')}
            </TableCell>
            <TableCell style={head} align="right">
              {t('run.scores.errors')}
            </TableCell>
            <TableCell style={head} align="right">
              {t('run.scores.skipped')}
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.rows.map(([name, s]) =>
            s ? (
              <TableRow key={name} data-testid={`inspections-score-${name}`}>
                <TableCell>{name}</TableCell>
                <TableCell>
                  <GradeBadge grade={s.grade} size="small" />
                </TableCell>
                <TableCell align="right">{score(s.score)}</TableCell>
                <TableCell align="right">{s.passed}</TableCell>
                <TableCell align="right">{s.failed}</TableCell>
                <TableCell align="right">{s.errors}</TableCell>
                <TableCell align="right">{s.skipped}</TableCell>
              </TableRow>
            ) : null,
          )}
        </TableBody>
      </Table>
    </Box>
  );
}

function RunHeader(props: {
  run: RunDetails;
  onExportError: (e: Error) => void;
}) {
  const { run, onExportError } = props;
  const fmt = useInspectionsFormat();
  const { t } = fmt;
  const errorMessage = useErrorMessage();
  const paths = useInspectionsPaths();
  const navigate = useNavigate();
  const previous = usePreviousRun(run);
  const running = run.status === 'running';
  const { planned, executed, errors, skipped } = run.coverage;
  const counts = {
    executed: String(executed),
    planned: String(planned),
    errors: String(errors),
    skipped: String(skipped),
  };
  const prev = previous.value;
  let compareReason = '';
  if (running) compareReason = t('run.compareNotFinished');
  else if (previous.loading) compareReason = t('run.compareLooking');
  else if (previous.error) {
    compareReason = t('run.compareReadFailed', {
      message: errorMessage(previous.error),
    });
  } else if (!prev) compareReason = t('run.compareNoPrevious');
  const duration = fmt.runDuration(run);
  let coverage: string;
  if (errors && skipped) {
    coverage = t('run.coverageErroredSkipped', { ...counts, duration });
  } else if (errors) {
    coverage = t('run.coverageErrored', {
      executed: counts.executed,
      planned: counts.planned,
      errors: counts.errors,
      duration,
    });
  } else if (skipped) {
    coverage = t('run.coverageSkipped', {
      executed: counts.executed,
      planned: counts.planned,
      skipped: counts.skipped,
      duration,
    });
  } else {
    coverage = t('run.coverage', {
      executed: counts.executed,
      planned: counts.planned,
      duration,
    });
  }

  return (
    <InfoCard
      title={t('run.title', { time: fmt.time(run.startedAt) })}
      subheader={
        run.trigger === 'schedule'
          ? t('run.subheaderScheduled', { scope: fmt.scope(run.scope) })
          : t('run.subheaderUser', {
              user: shortRef(run.triggeredBy),
              scope: fmt.scope(run.scope),
            })
      }
    >
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 24 }}
      >
        <GradeBadge grade={run.scores?.grade} score={run.scores?.overall} />
        <Box flex={1} minWidth={240}>
          <RunStatus status={run.status} testId="inspection-run-status" />
          {running && (
            <Box my={1}>
              <LinearProgress
                variant={planned ? 'determinate' : 'indeterminate'}
                value={planned ? (100 * executed) / planned : undefined}
                aria-label={t('run.progress')}
              />
            </Box>
          )}
          <Typography variant="body2">{coverage}</Typography>
          <Typography variant="body2" color="textSecondary">
            {t('run.ruleset', { hash: run.rulesetHash.slice(0, 12) })}
          </Typography>
          <Box mt={1}>
            <SeverityChips counts={run.findingsBySeverity} />
          </Box>
          {run.message && (
            <Box mt={1}>
              <Alert severity={run.status === 'failed' ? 'error' : 'info'}>
                {run.message}
              </Alert>
            </Box>
          )}
        </Box>
        <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
          <span title={compareReason}>
            <Button
              variant="outlined"
              color="primary"
              disabled={Boolean(compareReason)}
              onClick={() => prev && navigate(paths.compare(prev.id, run.id))}
              data-testid="inspections-compare-previous"
            >
              {t('run.compareWithPrevious')}
            </Button>
          </span>
          <ExportMenu
            runId={run.id}
            disabled={running}
            onError={onExportError}
          />
        </Box>
      </Box>
    </InfoCard>
  );
}

/**
 * The report of one run: status (re-read every 3 s while it runs), grade, scores per category
 * and per cluster, coverage, findings by category with evidence and remediation, the checks that
 * errored or were skipped; compare with the previous run, export, request exemptions.
 */
export function RunDetail() {
  const { id = '' } = useParams();
  const api = useApi(inspectionsApiRef);
  const fmt = useInspectionsFormat();
  const { t } = fmt;
  const errorMessage = useErrorMessage();
  const run = useRun(id);
  const checks = useChecks();
  const [exempting, setExempting] = useState<Finding>();
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<Error>();

  const checkMap = useMemo(
    () =>
      new Map<string, CheckInfo>(
        (checks.value?.checks ?? []).map(c => [c.id, c]),
      ),
    [checks.value],
  );
  const hasExempted =
    run.value?.findings.some(f => f.status === 'exempted') ?? false;
  const exemptions = useLoad(
    async () => (hasExempted ? api.exemptions('active') : undefined),
    [api, hasExempted],
  );
  const exemptionMap = useMemo(
    () =>
      new Map<string, Exemption>(
        (exemptions.value?.exemptions ?? []).map(e => [e.id, e]),
      ),
    [exemptions.value],
  );

  if (run.loading && !run.value) return <Progress />;
  if (run.error && !run.value) {
    return <TranslatedErrorPanel error={run.error} />;
  }
  const r = run.value!;
  const finished = r.status !== 'running';
  const problems = r.checks.filter(
    c => c.status === 'error' || c.status === 'skipped',
  );
  const byCategory = findingsByCategory(r.findings);

  const request = async (body: CreateExemptionRequest) => {
    await api.requestExemption(body);
    setExempting(undefined);
    setNotice(
      t('run.exemptionRequested', { object: formatObject(exempting!.object) }),
    );
  };

  const action = (f: Finding) =>
    f.status === 'failed' && finished ? (
      <PermissionButton
        permission={inspectionsExemptionCreatePermission}
        resourceRef={findingResourceRef(f.object)}
        what={formatObject(f.object)}
        size="small"
        onClick={() => setExempting(f)}
        aria-label={t('run.requestExemptionFor', {
          object: formatObject(f.object),
        })}
        data-testid="inspections-request-exemption"
      >
        {t('run.requestExemption')}
      </PermissionButton>
    ) : null;

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        {run.error && (
          <WarningPanel
            severity="warning"
            title={t('run.refreshFailed')}
            message={errorMessage(run.error)}
          />
        )}
        {actionError && <TranslatedErrorPanel error={actionError} />}
        {notice && (
          <Alert severity="success" onClose={() => setNotice(undefined)}>
            {notice}
          </Alert>
        )}
        <RunHeader run={r} onExportError={setActionError} />
      </Grid>
      {r.scores && (
        <Grid item xs={12} md={6}>
          <InfoCard title={t('run.scoresByCategory')}>
            <ScoresTable
              rows={Object.entries(r.scores.byCategory).map(([c, s]) => [
                fmt.category(c),
                s,
              ])}
            />
          </InfoCard>
        </Grid>
      )}
      {r.clusterScores && Object.keys(r.clusterScores).length > 0 && (
        <Grid item xs={12} md={6}>
          <InfoCard title={t('run.scoresByCluster')}>
            <ScoresTable
              rows={Object.entries(r.clusterScores).map(([c, s]) => [
                c,
                clusterRow(s),
              ])}
            />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        {r.hiddenFindings > 0 && (
          <Box mb={2}>
            <Alert severity="info" data-testid="inspections-hidden-findings">
              {t('run.hiddenFindings', { count: r.hiddenFindings })}
            </Alert>
          </Box>
        )}
        {checks.error && (
          <WarningPanel
            severity="warning"
            title={t('run.catalogueFailed')}
            message={errorMessage(checks.error)}
          />
        )}
        {byCategory.length === 0 ? (
          <InfoCard title={t('run.findings')}>
            <Typography>
              {finished
                ? t('run.noFindingsFinished')
                : t('run.noFindingsRunning')}
            </Typography>
          </InfoCard>
        ) : (
          byCategory.map(([category, findings]) => (
            <Box mb={2} key={category}>
              <InfoCard
                title={t('run.categoryTitle', {
                  category: fmt.category(category),
                  n: String(findings.length),
                })}
                noPadding
              >
                <FindingsTable
                  findings={findings}
                  checks={checkMap}
                  exemptions={exemptionMap}
                  action={action}
                />
              </InfoCard>
            </Box>
          ))
        )}
      </Grid>
      {problems.length > 0 && (
        <Grid item xs={12}>
          <InfoCard
            title={t('run.problemsTitle', { n: String(problems.length) })}
            noPadding
          >
            <Table size="small" data-testid="inspections-check-problems">
              <TableHead>
                <TableRow>
                  <TableCell>{t('run.problems.check')}</TableCell>
                  <TableCell>{t('run.problems.cluster')}</TableCell>
                  <TableCell>{t('run.problems.status')}</TableCell>
                  <TableCell>{t('run.problems.message')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {problems.map(c => (
                  <TableRow key={`${c.checkId}/${c.cluster ?? ''}`}>
                    <TableCell>
                      {checkMap.get(c.checkId)?.title ?? c.checkId}
                    </TableCell>
                    <TableCell>{c.cluster ?? t('common.global')}</TableCell>
                    <TableCell>
                      {c.status === 'error'
                        ? t('checkStatuses.error')
                        : t('checkStatuses.skipped')}
                    </TableCell>
                    <TableCell>{c.message ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </InfoCard>
        </Grid>
      )}
      <ExemptionRequestDialog
        runId={r.id}
        finding={exempting}
        onClose={() => setExempting(undefined)}
        onRequest={request}
      />
    </Grid>
  );
}
