import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  LinkButton,
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  finetuningDatasetDeletePermission,
  type Dataset,
} from '@kubemate/plugin-finetuning-common';
import {
  PermissionButton,
  TranslatedErrorPanel,
  useErrorMessage,
  usePolledAsync,
} from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { useDatasets, useOptions } from '../../hooks';
import { formatBytes, testIdPart } from '../../lib/format';
import { useFinetuningFormat } from '../../lib/useFormat';
import { finetuningTranslationRef } from '../../translation';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';
import { UploadForm } from './UploadForm';

const datasetTestId = (d: Dataset) =>
  `ft-dataset-${testIdPart(`${d.namespace}-${d.name}`)}`;

/** The first rows of a dataset, read back from MinIO, with the mapped fields. */
export function DatasetPreviewTable(props: { dataset: Dataset }) {
  const api = useApi(finetuningApiRef);
  const { t } = useTranslationRef(finetuningTranslationRef);
  const preview = usePolledAsync(
    () => api.previewDataset(props.dataset.id, 20),
    [api, props.dataset.id],
  );
  if (!preview.value) {
    if (preview.error) return <TranslatedErrorPanel error={preview.error} />;
    return <Progress />;
  }
  const rows = preview.value.rows.map((r, i) => ({ ...r, n: i + 1 }));
  const hasInput = rows.some(r => r.input);
  return (
    <Box data-testid="ft-dataset-preview">
      <Table
        title={t('datasets.previewTitle', {
          name: props.dataset.name,
          shown: String(rows.length),
          total: String(props.dataset.rows),
        })}
        options={{ paging: false, search: false, padding: 'dense' }}
        data={rows}
        columns={[
          { title: '#', field: 'n', width: '40px' },
          {
            title: t('datasets.previewInstruction', {
              field: props.dataset.mapping.instruction,
            }),
            field: 'instruction',
          },
          ...(hasInput
            ? [
                {
                  title: t('datasets.previewInput', {
                    field: props.dataset.mapping.input ?? '',
                  }),
                  field: 'input',
                },
              ]
            : []),
          {
            title: t('datasets.previewResponse', {
              field: props.dataset.mapping.response,
            }),
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
  const { t } = useTranslationRef(finetuningTranslationRef);
  const format = useFinetuningFormat();
  const errorMessage = useErrorMessage();
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
      title: t('datasets.dataset'),
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
      title: t('datasets.namespace'),
      field: 'namespace',
      render: d => `${d.namespace} (${d.cluster})`,
    },
    { title: t('datasets.format'), field: 'format' },
    { title: t('datasets.rows'), field: 'rows', type: 'numeric' },
    {
      title: t('datasets.size'),
      field: 'bytes',
      render: d => formatBytes(d.bytes),
    },
    {
      title: t('datasets.fields'),
      render: d =>
        `${d.mapping.instruction} → ${d.mapping.response}${
          d.mapping.input ? ` (+${d.mapping.input})` : ''
        }`,
    },
    {
      title: t('datasets.uploaded'),
      field: 'createdAt',
      render: d => format.byUser(d.createdAt, d.createdBy),
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
            {t('datasets.preview')}
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
            {t('datasets.launch')}
          </LinkButton>
          <PermissionButton
            size="small"
            permission={finetuningDatasetDeletePermission}
            resourceRef={`${d.cluster}/${d.namespace}`}
            what={format.namespaceInCluster(d.namespace, d.cluster)}
            onClick={() => setDeleting(d)}
            data-testid={`${datasetTestId(d)}-delete`}
          >
            {t('datasets.delete')}
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
                t('datasets.uploadedNotice', {
                  name: d.name,
                  rows: String(d.rows),
                  size: formatBytes(d.bytes),
                }),
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
            title={t('datasets.optionsError')}
            message={errorMessage(options.error)}
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
      <Loaded state={datasets} reads="datasets">
        {value => (
          <Table<Dataset>
            title={t('datasets.title', { n: String(value.items.length) })}
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
                  {t('datasets.empty')}
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
        title={t('datasets.deleteTitle', { name: deleting?.name ?? '' })}
        verb={t('datasets.delete')}
        testIdPrefix="ft-dataset-delete"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await api.deleteDataset(deleting!.id);
          if (previewed?.id === deleting!.id) setPreviewed(undefined);
          datasets.retry();
        }}
      >
        <Typography variant="body2">{t('datasets.deleteBody')}</Typography>
      </ConfirmDialog>
    </>
  );
}
