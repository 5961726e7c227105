import { useMemo, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import {
  Box,
  Button,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { PipelineRunSummary } from '@kubemate/plugin-pipelines-common';
import { TaskGraph } from '../TaskGraph';
import { StepLog } from '../StepLog';
import { isActive } from '../../lib/runs';
import { useRunFormat } from '../../hooks/useRunFormat';
import { pipelinesTranslationRef } from '../../translation';
import { RunStatusLabel } from '../RunStatusLabel';
import { slot, withNodes } from '@kubemate/plugin-kubemate-react';

function KeyValues(props: { title: string; values: Record<string, string> }) {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const entries = Object.entries(props.values);
  return (
    <Box>
      <Typography variant="subtitle2">{props.title}</Typography>
      {entries.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {t('details.none')}
        </Typography>
      ) : (
        <Table size="small" aria-label={props.title}>
          <TableBody>
            {entries.map(([k, v]) => (
              <TableRow key={k}>
                <TableCell component="th" scope="row">
                  {k}
                </TableCell>
                <TableCell style={{ wordBreak: 'break-all' }}>{v}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/** TaskRuns in the order the controller started them (not yet started last). */
const byStart = (taskRuns: PipelineRunSummary['taskRuns']) =>
  [...taskRuns].sort(
    (a, b) =>
      (a.startTime ? Date.parse(a.startTime) : Infinity) -
        (b.startTime ? Date.parse(b.startTime) : Infinity) ||
      a.name.localeCompare(b.name),
  );

type T = TranslationFunction<typeof pipelinesTranslationRef.T>;

/** "Failed at step … of task …", with the exit code and message when known; step and task are slots. */
function failedStepText(
  t: T,
  f: NonNullable<PipelineRunSummary['failedStep']>,
): string {
  const args = { step: slot('step'), task: slot('task') };
  if (f.exitCode !== undefined && f.message) {
    return t('details.failedAtExitMessage', {
      ...args,
      exitCode: String(f.exitCode),
      message: f.message,
    });
  }
  if (f.exitCode !== undefined) {
    return t('details.failedAtExit', {
      ...args,
      exitCode: String(f.exitCode),
    });
  }
  if (f.message) {
    return t('details.failedAtMessage', { ...args, message: f.message });
  }
  return t('details.failedAt', args);
}

/** One run: summary, task graph, params and results, TaskRuns with their steps and step logs. */
export function RunDetails(props: { run: PipelineRunSummary }) {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const format = useRunFormat();
  const { run } = props;
  const [selected, setSelected] = useState<
    { taskRun: string; step: string } | undefined
  >();
  // the selected step's state as the controller reports it now (the run is re-read while active)
  const selectedStep = selected
    ? run.taskRuns
        .find(tr => tr.name === selected.taskRun)
        ?.steps.find(s => s.name === selected.step)
    : undefined;
  const ref = useMemo(
    () => ({ cluster: run.cluster, namespace: run.namespace, name: run.name }),
    [run.cluster, run.namespace, run.name],
  );
  return (
    <InfoCard
      title={t('details.title', { run: run.name })}
      subheader={[
        run.pipeline ?? t('details.noPipeline'),
        `${run.cluster}/${run.namespace}`,
        ...(run.environment ? [run.environment] : []),
        ...(run.rerunOf ? [t('details.rerunOf', { run: run.rerunOf })] : []),
      ].join(' · ')}
    >
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <RunStatusLabel status={run.status} reason={run.reason} />
          <Typography variant="body2" color="textSecondary">
            {t('details.timing', {
              time: format.time(run.startTime),
              duration: format.duration(run.durationSeconds),
            })}
            {run.message ? ` · ${run.message}` : ''}
          </Typography>
          {run.failedStep && (
            <Alert
              severity="error"
              action={
                <Button
                  size="small"
                  color="inherit"
                  onClick={() =>
                    setSelected({
                      taskRun: run.failedStep!.taskRun,
                      step: run.failedStep!.step,
                    })
                  }
                >
                  {t('details.showLog')}
                </Button>
              }
            >
              {withNodes(failedStepText(t, run.failedStep), {
                step: <b>{run.failedStep.step}</b>,
                task: (
                  <b>{run.failedStep.pipelineTask ?? run.failedStep.taskRun}</b>
                ),
              })}
            </Alert>
          )}
        </Grid>
        <Grid item xs={12}>
          <TaskGraph run={run} />
        </Grid>
        <Grid item xs={12} md={6}>
          <KeyValues title={t('details.params')} values={run.params} />
        </Grid>
        <Grid item xs={12} md={6}>
          <KeyValues title={t('details.results')} values={run.results} />
        </Grid>
        <Grid item xs={12}>
          <Typography variant="subtitle2">{t('details.taskRuns')}</Typography>
          {run.taskRuns.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              {t('details.noTaskRuns')}
            </Typography>
          ) : (
            <Table size="small" aria-label={t('details.taskRuns')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('details.columns.task')}</TableCell>
                  <TableCell>{t('details.columns.status')}</TableCell>
                  <TableCell>{t('details.columns.started')}</TableCell>
                  <TableCell>{t('details.columns.steps')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {byStart(run.taskRuns).map(tr => (
                  <TableRow key={tr.name}>
                    <TableCell>{tr.pipelineTask ?? tr.name}</TableCell>
                    <TableCell>
                      <RunStatusLabel status={tr.status} />
                      {tr.status === 'Failed' && tr.message && (
                        <Typography variant="caption" display="block">
                          {tr.message}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>{format.time(tr.startTime)}</TableCell>
                    <TableCell>
                      {tr.steps.length === 0 && (
                        <Typography variant="body2" color="textSecondary">
                          {t('details.noSteps')}
                        </Typography>
                      )}
                      {tr.steps.map(s => (
                        <Button
                          key={s.name}
                          size="small"
                          variant={
                            selected?.taskRun === tr.name &&
                            selected.step === s.name
                              ? 'contained'
                              : 'outlined'
                          }
                          disabled={!tr.podName}
                          title={tr.podName ? undefined : t('details.noPod')}
                          onClick={() =>
                            setSelected({ taskRun: tr.name, step: s.name })
                          }
                          style={{ marginRight: 4 }}
                        >
                          {t('details.step', {
                            step: s.name,
                            status: format.status(s.status),
                          })}
                        </Button>
                      ))}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {selected && (
            <StepLog
              key={`${selected.taskRun}/${selected.step}`}
              run={ref}
              taskRun={selected.taskRun}
              step={selected.step}
              running={
                selectedStep
                  ? isActive(selectedStep.status)
                  : isActive(run.status)
              }
            />
          )}
        </Grid>
      </Grid>
    </InfoCard>
  );
}
