import { useMemo, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
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
import { formatDuration, formatTime, isActive } from '../../lib/runs';
import { RunStatusLabel } from '../RunStatusLabel';

function KeyValues(props: { title: string; values: Record<string, string> }) {
  const entries = Object.entries(props.values);
  return (
    <Box>
      <Typography variant="subtitle2">{props.title}</Typography>
      {entries.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          none
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

/** One run: summary, task graph, params and results, TaskRuns with their steps and step logs. */
export function RunDetails(props: { run: PipelineRunSummary }) {
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
      title={`Run ${run.name}`}
      subheader={`${run.pipeline ?? 'no pipeline'} · ${run.cluster}/${
        run.namespace
      }${run.environment ? ` · ${run.environment}` : ''}${
        run.rerunOf ? ` · re-run of ${run.rerunOf}` : ''
      }`}
    >
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <RunStatusLabel status={run.status} reason={run.reason} />
          <Typography variant="body2" color="textSecondary">
            started {formatTime(run.startTime)} · duration{' '}
            {formatDuration(run.durationSeconds)}
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
                  Show its log
                </Button>
              }
            >
              Failed at step <b>{run.failedStep.step}</b> of task{' '}
              <b>{run.failedStep.pipelineTask ?? run.failedStep.taskRun}</b>
              {run.failedStep.exitCode !== undefined
                ? ` (exit code ${run.failedStep.exitCode})`
                : ''}
              {run.failedStep.message ? `: ${run.failedStep.message}` : ''}
            </Alert>
          )}
        </Grid>
        <Grid item xs={12}>
          <TaskGraph run={run} />
        </Grid>
        <Grid item xs={12} md={6}>
          <KeyValues title="Params" values={run.params} />
        </Grid>
        <Grid item xs={12} md={6}>
          <KeyValues title="Results" values={run.results} />
        </Grid>
        <Grid item xs={12}>
          <Typography variant="subtitle2">Task runs</Typography>
          {run.taskRuns.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No TaskRuns yet: the Tekton controller has not started this run's
              tasks.
            </Typography>
          ) : (
            <Table size="small" aria-label="Task runs">
              <TableHead>
                <TableRow>
                  <TableCell>Task</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Started</TableCell>
                  <TableCell>Steps (click for the log)</TableCell>
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
                    <TableCell>{formatTime(tr.startTime)}</TableCell>
                    <TableCell>
                      {tr.steps.length === 0 && (
                        <Typography variant="body2" color="textSecondary">
                          no steps reported
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
                          title={
                            tr.podName
                              ? undefined
                              : 'The TaskRun has no pod yet'
                          }
                          onClick={() =>
                            setSelected({ taskRun: tr.name, step: s.name })
                          }
                          style={{ marginRight: 4 }}
                        >
                          {s.name} · {s.status}
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
