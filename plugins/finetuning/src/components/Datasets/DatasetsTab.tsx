import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  LinkButton,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  finetuningDatasetDeletePermission,
  type Dataset,
} from '@kubemate/plugin-finetuning-common';
import {
  PermissionButton,
  usePolledAsync,
} from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { useDatasets, useOptions } from '../../hooks';
import { formatBytes, formatTime, testIdPart } from '../../lib/format';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';
import { UploadForm } from './UploadForm';

const datasetTestId = (d: Dataset) =>
  `ft-dataset-${testIdPart(`${d.namespace}-${d.name}`)}`;

/** The first rows of a dataset, read back from MinIO, with the mapped fields. */
export function DatasetPreviewTable(props: { dataset: Dataset }) {
  const api = useApi(finetuningApiRef);
  const preview = usePolledAsync(
    () => api.previewDataset(props.dataset.id, 20),
    [api, props.dataset.id],
  );
  if (!preview.value) {
    if (preview.error) return <ResponseErrorPanel error={preview.error} />;
    return <Progress />;
  }
  const rows = preview.value.rows.map((r, i) => ({ ...r, n: i + 1 }));
  const hasInput = rows.some(r => r.input);
  return (
    <Box data-testid="ft-dataset-preview">
      <Table
        title={`Preview of ${props.dataset.name} (first ${rows.length} of ${props.dataset.rows} rows)`}
        options={{ paging: false, search: false, padding: 'dense' }}
        data={rows}
        columns={[
          { title: '#', field: 'n', width: '40px' },
          {
            title: `instruction (${props.dataset.mapping.instruction})`,
            field: 'instruction',
          },
          ...(hasInput
            ? [
                {
                  title: `input (${props.dataset.mapping.input})`,
                  field: 'input',
                },
              ]
            : []),
          {
            title: `response (${props.dataset.mapping.response})`,
            field: 'response',
          },
        ]}
      />
    </Box>
  );
}

/** Datasets tab: upload, the datasets of the user's namespaces, preview and delete. */
export function DatasetsTab() {
  const api = useApi(finetuningApiRef);
  const base = useFinetuningBase();
  const datasets = useDatasets();
  const options = useOptions();
  const [previewed, setPreviewed] = useState<Dataset>();
  const [deleting, setDeleting] = useState<Dataset>();
  const [notice, setNotice] = useState<string>();
  const targets = [
    ...new Map(
      (options.value?.queues ?? []).map(q => [
        `${q.cluster}/${q.namespace}`,
        { cluster: q.cluster, namespace: q.namespace },
      ]),
    ).values(),
  ];
  const columns: TableColumn<Dataset>[] = [
    {
      title: 'Dataset',
      field: 'name',
      render: d => (
        <Box data-testid={datasetTestId(d)} data-id={d.id}>
          <Typography variant="body2">{d.name}</Typography>
          {d.description && (
            <Typography variant="caption" color="textSecondary">
              {d.description}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: 'Namespace',
      field: 'namespace',
      render: d => `${d.namespace} (${d.cluster})`,
    },
    { title: 'Format', field: 'format' },
    { title: 'Rows', field: 'rows', type: 'numeric' },
    { title: 'Size', field: 'bytes', render: d => formatBytes(d.bytes) },
    {
      title: 'Fields',
      render: d =>
        `${d.mapping.instruction} → ${d.mapping.response}${
          d.mapping.input ? ` (+${d.mapping.input})` : ''
        }`,
    },
    {
      title: 'Uploaded',
      field: 'createdAt',
      render: d => `${formatTime(d.createdAt)} by ${d.createdBy}`,
    },
    {
      title: '',
      sorting: false,
      render: d => (
        <Box display="flex" style={{ gap: 4 }}>
          <Button
            size="small"
            onClick={() => setPreviewed(d)}
            data-testid={`${datasetTestId(d)}-preview`}
          >
            Preview
          </Button>
          <LinkButton
            size="small"
            color="primary"
            to={`${base}/launch?cluster=${encodeURIComponent(
              d.cluster,
            )}&namespace=${encodeURIComponent(
              d.namespace,
            )}&dataset=${encodeURIComponent(d.id)}`}
          >
            Launch
          </LinkButton>
          <PermissionButton
            size="small"
            permission={finetuningDatasetDeletePermission}
            resourceRef={`${d.cluster}/${d.namespace}`}
            what={`${d.namespace} in ${d.cluster}`}
            onClick={() => setDeleting(d)}
            data-testid={`${datasetTestId(d)}-delete`}
          >
            Delete
          </PermissionButton>
        </Box>
      ),
    },
  ];
  return (
    <>
      {options.value && targets.length > 0 && (
        <Box mb={3}>
          <UploadForm
            targets={targets}
            maxBytes={options.value.limits.maxDatasetBytes}
            onUploaded={d => {
              setNotice(
                `Uploaded ${d.name}: ${d.rows} rows, ${formatBytes(d.bytes)}.`,
              );
              setPreviewed(d);
              datasets.retry();
            }}
          />
        </Box>
      )}
      {!options.value && options.error && (
        <Box mb={2}>
          <WarningPanel
            severity="error"
            title="Uploading needs the namespaces you may launch in, which could not be read"
            message={options.error.message}
          />
        </Box>
      )}
      {notice && (
        <Box mb={2}>
          <Alert
            severity="success"
            data-testid="ft-upload-notice"
            onClose={() => setNotice(undefined)}
          >
            {notice}
          </Alert>
        </Box>
      )}
      <Loaded state={datasets} what="the datasets">
        {value => (
          <Table<Dataset>
            title={`Datasets (${value.items.length})`}
            options={{
              paging: value.items.length > 20,
              pageSize: 20,
              search: true,
            }}
            columns={columns}
            data={value.items}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2" color="textSecondary">
                  No datasets in the namespaces you may see: upload a JSONL or
                  CSV file above.
                </Typography>
              </Box>
            }
          />
        )}
      </Loaded>
      {previewed && (
        <Box mt={3}>
          <DatasetPreviewTable dataset={previewed} />
        </Box>
      )}
      <ConfirmDialog
        open={Boolean(deleting)}
        title={`Delete the dataset ${deleting?.name}?`}
        verb="Delete"
        testIdPrefix="ft-dataset-delete"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await api.deleteDataset(deleting!.id);
          if (previewed?.id === deleting!.id) setPreviewed(undefined);
          datasets.retry();
        }}
      >
        <Typography variant="body2">
          Its file in MinIO and its record are removed. Jobs that used it keep
          their name and checksum in MLflow.
        </Typography>
      </ConfirmDialog>
    </>
  );
}
