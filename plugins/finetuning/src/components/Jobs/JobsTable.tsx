import { Link, Table, TableColumn } from '@backstage/core-components';
import { Box, Checkbox, Typography } from '@material-ui/core';
import type { FinetuningJob } from '@kubemate/plugin-finetuning-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { testIdPart } from '../../lib/format';
import { useFinetuningFormat } from '../../lib/useFormat';
import { finetuningTranslationRef } from '../../translation';
import { DemoChip, StateChip } from '../common/Chips';
import { useFinetuningBase } from '../FinetuningPage/base';

/** `ft-job-<namespace>-<name>`: a job's row in the jobs table. */
export const jobTestId = (j: Pick<FinetuningJob, 'namespace' | 'name'>) =>
  `ft-job-${testIdPart(`${j.namespace}-${j.name}`)}`;

/** The state with Kueue's reason and position while it waits. */
export function JobState(props: { job: FinetuningJob; compact?: boolean }) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const { job } = props;
  const q = job.queue;
  return (
    <Box>
      <StateChip state={job.state} testId={`${jobTestId(job)}-state`} />
      {job.state === 'Queued' && q?.position !== undefined && (
        <Typography
          variant="caption"
          component="div"
          data-testid={`${jobTestId(job)}-position`}
        >
          {t('jobsTable.position', {
            position: String(q.position),
            queue: q.clusterQueue ?? q.localQueue,
          })}
        </Typography>
      )}
      {job.state === 'Queued' && (q?.message || q?.reason) && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="div"
          style={{
            wordBreak: 'break-word',
            maxWidth: props.compact ? 320 : undefined,
          }}
          data-testid={`${jobTestId(job)}-reason`}
        >
          {q.reason}
          {q.reason && q.message ? ': ' : ''}
          {q.message}
        </Typography>
      )}
      {job.state !== 'Queued' && job.stateMessage && !props.compact && (
        <Typography variant="caption" color="textSecondary" component="div">
          {job.stateMessage}
        </Typography>
      )}
    </Box>
  );
}

const totalGpus = (j: FinetuningJob) =>
  j.spec.resources.workers * j.spec.resources.gpusPerWorker;

/**
 * Fine-tuning jobs: name (link to its details), namespace, base model, dataset, state (with Kueue's
 * reason and position when queued), GPUs, started, GPU-hours, demo. With `selected`, a checkbox per
 * row picks runs to compare.
 */
export function JobsTable(props: {
  jobs: FinetuningJob[];
  title: string;
  selected?: string[];
  onToggle?: (id: string) => void;
  emptyText?: string;
}) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const format = useFinetuningFormat();
  const base = useFinetuningBase();
  const { selected, onToggle } = props;
  const columns: TableColumn<FinetuningJob>[] = [
    ...(selected && onToggle
      ? [
          {
            title: t('jobsTable.compare'),
            sorting: false,
            width: '60px',
            render: (j: FinetuningJob) => (
              <Checkbox
                size="small"
                checked={selected.includes(j.id)}
                onChange={() => onToggle(j.id)}
                inputProps={{
                  'aria-label': t('jobsTable.compareAria', { name: j.name }),
                  // @ts-expect-error data attributes pass through to the input
                  'data-testid': `${jobTestId(j)}-select`,
                }}
              />
            ),
          } as TableColumn<FinetuningJob>,
        ]
      : []),
    {
      title: t('jobsTable.job'),
      field: 'name',
      render: j => (
        <Box data-testid={jobTestId(j)} data-state={j.state} data-id={j.id}>
          <Link to={`${base}/jobs/${encodeURIComponent(j.id)}`}>{j.name}</Link>
          {j.spec.sweepId && (
            <Typography variant="caption" component="div">
              <Link to={`${base}/sweeps/${encodeURIComponent(j.spec.sweepId)}`}>
                {t('jobsTable.sweepTrial')}
              </Link>
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: t('jobsTable.namespace'),
      field: 'namespace',
      render: j => (
        <>
          <Typography variant="body2">{j.namespace}</Typography>
          <Typography variant="caption" color="textSecondary">
            {j.cluster}
          </Typography>
        </>
      ),
    },
    { title: t('jobsTable.baseModel'), field: 'spec.baseModel' },
    { title: t('jobsTable.dataset'), field: 'spec.datasetName' },
    {
      title: t('jobsTable.state'),
      field: 'state',
      cellStyle: { minWidth: 220 },
      render: j => <JobState job={j} compact />,
    },
    {
      title: t('jobsTable.gpus'),
      sorting: false,
      render: j => (
        <Typography variant="body2">
          {format.gpus(totalGpus(j))}
          {j.spec.resources.flavor && (
            <Typography variant="caption" component="div" color="textSecondary">
              {j.queue?.flavor ?? j.spec.resources.flavor}
            </Typography>
          )}
        </Typography>
      ),
    },
    {
      title: t('jobsTable.started'),
      field: 'startedAt',
      render: j => format.time(j.startedAt),
    },
    {
      title: t('jobsTable.gpuHours'),
      field: 'gpuHours',
      render: j => format.gpuHours(j.gpuHours),
    },
    {
      title: '',
      sorting: false,
      render: j =>
        j.demo ? <DemoChip testId={`${jobTestId(j)}-demo`} /> : null,
    },
  ];
  return (
    <Table<FinetuningJob>
      title={props.title}
      options={{ paging: props.jobs.length > 20, pageSize: 20, search: true }}
      columns={columns}
      data={props.jobs}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            {props.emptyText ?? t('jobsTable.empty')}
          </Typography>
        </Box>
      }
    />
  );
}
