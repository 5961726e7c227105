import { Table, TableColumn } from '@backstage/core-components';
import { Box, Link, Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  PipelineRunSummary,
  pipelinesRunCancelPermission,
  pipelinesRunRerunPermission,
} from '@kubemate/plugin-pipelines-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import { isActive } from '../../lib/runs';
import { useRunFormat } from '../../hooks/useRunFormat';
import { pipelinesTranslationRef } from '../../translation';
import { RunStatusLabel } from '../RunStatusLabel';

const runRef = (r: PipelineRunSummary) =>
  clustersObjectRef({
    cluster: r.cluster,
    namespace: r.namespace,
    resource: 'pipelineruns',
    name: r.name,
  });

/**
 * The entity's runs (those passing the filters), each with its re-run and cancel buttons, gated
 * by the permissions on the run.
 */
export function RunsTable(props: {
  runs: PipelineRunSummary[];
  total: number;
  onSelect: (run: PipelineRunSummary) => void;
  onRerun: (run: PipelineRunSummary) => void;
  onCancel: (run: PipelineRunSummary) => void;
}) {
  const { runs, total, onSelect, onRerun, onCancel } = props;
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const format = useRunFormat();
  const columns: TableColumn<PipelineRunSummary>[] = [
    {
      title: t('runs.columns.run'),
      field: 'name',
      render: r => (
        <Link component="button" variant="body2" onClick={() => onSelect(r)}>
          {r.name}
        </Link>
      ),
    },
    { title: t('runs.columns.pipeline'), field: 'pipeline' },
    {
      title: t('runs.columns.status'),
      field: 'status',
      render: r => <RunStatusLabel status={r.status} reason={r.reason} />,
    },
    {
      title: t('runs.columns.env'),
      field: 'environment',
      render: r => r.environment ?? '—',
    },
    {
      title: t('runs.columns.where'),
      render: r => `${r.cluster}/${r.namespace}`,
    },
    {
      title: t('runs.columns.started'),
      field: 'startTime',
      render: r => format.time(r.startTime),
    },
    {
      title: t('runs.columns.duration'),
      field: 'durationSeconds',
      render: r => format.duration(r.durationSeconds),
    },
    {
      title: t('runs.columns.actions'),
      render: r => (
        <Box display="flex">
          <PermissionButton
            size="small"
            permission={pipelinesRunRerunPermission}
            resourceRef={runRef(r)}
            what={r.name}
            aria-label={t('runs.rerunAria', { run: r.name })}
            onClick={() => onRerun(r)}
          >
            {t('runs.rerun')}
          </PermissionButton>
          <PermissionButton
            size="small"
            permission={pipelinesRunCancelPermission}
            resourceRef={runRef(r)}
            what={r.name}
            disabled={!isActive(r.status)}
            disabledReason={t('runs.finished', {
              run: r.name,
              status: format.status(r.status),
            })}
            aria-label={t('runs.cancelAria', { run: r.name })}
            onClick={() => onCancel(r)}
          >
            {t('runs.cancel')}
          </PermissionButton>
        </Box>
      ),
    },
  ];
  return (
    <Table<PipelineRunSummary>
      title={t('runs.title', {
        shown: String(runs.length),
        total: String(total),
      })}
      options={{
        paging: runs.length > 20,
        pageSize: 20,
        search: false,
      }}
      columns={columns}
      data={runs}
      emptyContent={
        <Box p={2}>
          <Typography>
            {total ? t('runs.noMatch') : t('runs.noRuns')}
          </Typography>
        </Box>
      }
    />
  );
}
