import { Table, TableColumn } from '@backstage/core-components';
import { Box, Link, Typography } from '@material-ui/core';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  PipelineRunSummary,
  pipelinesRunCancelPermission,
  pipelinesRunRerunPermission,
} from '@kubemate/plugin-pipelines-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import { formatDuration, formatTime, isActive } from '../../lib/runs';
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
  const columns: TableColumn<PipelineRunSummary>[] = [
    {
      title: 'Run',
      field: 'name',
      render: r => (
        <Link component="button" variant="body2" onClick={() => onSelect(r)}>
          {r.name}
        </Link>
      ),
    },
    { title: 'Pipeline', field: 'pipeline' },
    {
      title: 'Status',
      field: 'status',
      render: r => <RunStatusLabel status={r.status} reason={r.reason} />,
    },
    { title: 'Env', field: 'environment', render: r => r.environment ?? '—' },
    {
      title: 'Where',
      render: r => `${r.cluster}/${r.namespace}`,
    },
    {
      title: 'Started',
      field: 'startTime',
      render: r => formatTime(r.startTime),
    },
    {
      title: 'Duration',
      field: 'durationSeconds',
      render: r => formatDuration(r.durationSeconds),
    },
    {
      title: 'Actions',
      render: r => (
        <Box display="flex">
          <PermissionButton
            size="small"
            permission={pipelinesRunRerunPermission}
            resourceRef={runRef(r)}
            what={r.name}
            aria-label={`Re-run ${r.name}`}
            onClick={() => onRerun(r)}
          >
            Re-run
          </PermissionButton>
          <PermissionButton
            size="small"
            permission={pipelinesRunCancelPermission}
            resourceRef={runRef(r)}
            what={r.name}
            disabled={!isActive(r.status)}
            disabledReason={`${r.name} has finished (${r.status})`}
            aria-label={`Cancel ${r.name}`}
            onClick={() => onCancel(r)}
          >
            Cancel
          </PermissionButton>
        </Box>
      ),
    },
  ];
  return (
    <Table<PipelineRunSummary>
      title={`Pipeline runs (${runs.length} of ${total})`}
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
            {total ? 'No run matches the filters.' : 'No runs yet: start one.'}
          </Typography>
        </Box>
      }
    />
  );
}
