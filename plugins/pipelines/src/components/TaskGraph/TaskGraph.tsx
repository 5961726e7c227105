import { Box, makeStyles, Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  PipelineRunSummary,
  RunStatus,
} from '@kubemate/plugin-pipelines-common';
import { pipelinesTranslationRef } from '../../translation';

const COLORS: Record<RunStatus, string> = {
  Succeeded: '#2e7d32',
  Failed: '#c62828',
  Running: '#1565c0',
  Pending: '#757575',
  Cancelled: '#ef6c00',
};

const useStyles = makeStyles(theme => ({
  graph: { display: 'flex', gap: theme.spacing(3), overflowX: 'auto' },
  column: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    justifyContent: 'center',
  },
  task: {
    minWidth: 140,
    padding: theme.spacing(1),
    borderRadius: 4,
    borderLeft: '6px solid',
    background: theme.palette.background.default,
  },
}));

/**
 * The task's depth in the graph: 0 for tasks without runAfter, else one more than its deepest
 * predecessor (cycles and unknown names are ignored, as Tekton would reject them anyway).
 */
export function taskLevels(
  tasks: Array<{ name: string; runAfter: string[] }>,
): Map<string, number> {
  const byName = new Map(tasks.map(t => [t.name, t]));
  const levels = new Map<string, number>();
  const visit = (name: string, seen: Set<string>): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    const task = byName.get(name);
    if (!task || seen.has(name)) return 0;
    seen.add(name);
    const deps = task.runAfter.filter(d => byName.has(d));
    const level = deps.length
      ? Math.max(...deps.map(d => visit(d, seen))) + 1
      : 0;
    levels.set(name, level);
    return level;
  };
  tasks.forEach(t => visit(t.name, new Set()));
  return levels;
}

/** The run's tasks in columns by depth, each coloured by the status of its TaskRun. */
export function TaskGraph(props: { run: PipelineRunSummary }) {
  const classes = useStyles();
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const { run } = props;
  if (!run.tasks.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('graph.empty')}
      </Typography>
    );
  }
  const levels = taskLevels(run.tasks);
  const columns: string[][] = [];
  for (const task of run.tasks) {
    const l = levels.get(task.name) ?? 0;
    (columns[l] ??= []).push(task.name);
  }
  const statusOf = (task: string): RunStatus =>
    run.taskRuns.find(tr => tr.pipelineTask === task)?.status ?? 'Pending';
  return (
    <Box
      className={classes.graph}
      role="list"
      aria-label={t('graph.ariaLabel', { run: run.name })}
    >
      {columns.map((col, i) => (
        <div className={classes.column} key={i}>
          {col.map(name => {
            const status = statusOf(name);
            const statusText = t(`status.${status}`);
            const after =
              run.tasks.find(task => task.name === name)?.runAfter ?? [];
            return (
              <div
                key={name}
                role="listitem"
                aria-label={t('graph.task', { name, status: statusText })}
                className={classes.task}
                style={{ borderLeftColor: COLORS[status] }}
              >
                <Typography variant="subtitle2">{name}</Typography>
                <Typography variant="caption" color="textSecondary">
                  {after.length
                    ? t('graph.after', {
                        status: statusText,
                        tasks: after.join(', '),
                      })
                    : statusText}
                </Typography>
              </div>
            );
          })}
        </div>
      ))}
    </Box>
  );
}
