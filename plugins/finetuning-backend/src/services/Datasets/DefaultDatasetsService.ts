import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Dataset,
  DatasetPreview,
  finetuningDatasetDeletePermission,
  finetuningDatasetReadPermission,
  finetuningDatasetUploadPermission,
  ListResponse,
} from '@kubemate/plugin-finetuning-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  requireNamespaceScope,
  requirePermission,
} from '@kubemate/plugin-kubemate-node';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import { randomUUID } from 'node:crypto';
import { actorOf, audited, inScope, requireOn } from '../../lib/access';
import { readDataset, validateDataset } from '../../lib/datasets';
import { FinetuningObjectStore } from '../../lib/objectStore';
import { clustersOf } from '../../lib/upstream';
import { FinetuningMetrics } from '../Metrics';
import { DatabaseFinetuningStore } from '../Store';
import { DatasetsService, DatasetUpload } from './types';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface DefaultDatasetsServiceOptions {
  permissions: PermissionsService;
  clusters: ClusterRegistryService;
  audit: ClusterAuditService;
  logger: LoggerService;
  store: DatabaseFinetuningStore;
  objects?: FinetuningObjectStore;
  metrics: FinetuningMetrics;
  limits: { maxBytes: number; maxRows: number; previewRows: number };
  /** Names of the unfinished jobs (Queued/Starting/Running) that use the dataset. */
  unfinishedJobsUsing(datasetId: string): Promise<string[]>;
}

/** Datasets: validated uploads stored in MinIO, recorded in `finetuning_datasets`. */
export class DefaultDatasetsService implements DatasetsService {
  constructor(private readonly options: DefaultDatasetsServiceOptions) {}

  private objects(): FinetuningObjectStore {
    if (!this.options.objects) {
      throw new InputError(
        'datasets need kubemate.finetuning.storage (MinIO) in the configuration',
      );
    }
    return this.options.objects;
  }

  async list(
    credentials: BackstageCredentials,
    query: { cluster?: string; namespace?: string },
  ): Promise<ListResponse<Dataset>> {
    if (query.cluster) clustersOf(this.options.clusters, query.cluster);
    const scope = await requireNamespaceScope(this.options.permissions, {
      credentials,
      permission: finetuningDatasetReadPermission,
    });
    const items = await this.options.store.listDatasets(query);
    return { items: items.filter(d => inScope(scope, d.namespace)) };
  }

  async get(credentials: BackstageCredentials, id: string): Promise<Dataset> {
    const d = await this.options.store.getDataset(id);
    if (!d) throw new NotFoundError(`dataset ${id} not found`);
    await requireOn(this.options.permissions, credentials, {
      read: finetuningDatasetReadPermission,
      cluster: d.cluster,
      namespace: d.namespace,
      what: `dataset ${id}`,
    });
    return d;
  }

  async upload(
    credentials: BackstageCredentials,
    upload: DatasetUpload,
  ): Promise<Dataset> {
    const { metrics, store, limits } = this.options;
    return audited(
      this.options.audit,
      this.options.logger,
      {
        credentials,
        action: 'finetuning.dataset.upload',
        cluster: upload.cluster,
        namespace: upload.namespace,
        kind: 'Dataset',
        name: upload.name,
      },
      async () => {
        clustersOf(this.options.clusters, upload.cluster);
        // the namespace is a segment of the object key and a Kubernetes namespace: a DNS label,
        // never `..` or a slash that would put the file under another prefix of the bucket
        if (!DNS_LABEL.test(upload.namespace) || upload.namespace.length > 63) {
          throw new InputError(
            `namespace: '${upload.namespace}' is not a Kubernetes namespace (lowercase letters, digits and dashes, at most 63)`,
          );
        }
        await requirePermission(this.options.permissions, {
          credentials,
          permission: finetuningDatasetUploadPermission,
          resourceRef: clustersObjectRef({
            cluster: upload.cluster,
            namespace: upload.namespace,
          }),
        });
        if (!DNS_LABEL.test(upload.name) || upload.name.length > 63) {
          throw new InputError(
            `name: '${upload.name}' is not a DNS label (lowercase letters, digits and dashes, at most 63)`,
          );
        }
        if (!upload.file) {
          throw new InputError('file: attach the dataset file (field "file")');
        }
        if (
          await store.datasetNameTaken(
            upload.cluster,
            upload.namespace,
            upload.name,
          )
        ) {
          throw new ConflictError(
            `name: a dataset ${upload.name} already exists in ${upload.namespace}`,
          );
        }
        const mapping = {
          instruction: upload.instructionField || 'instruction',
          response: upload.responseField || 'response',
          ...(upload.inputField ? { input: upload.inputField } : {}),
        };
        // the last segment of the object key: no slashes, no `.`/`..` segment
        const fileName =
          upload.file.originalName
            .replace(/[^A-Za-z0-9._-]/g, '_')
            .replace(/^\.+/, '') || 'dataset';
        let summary;
        try {
          summary = await validateDataset(upload.file.body, {
            fileName,
            mapping,
            maxBytes: limits.maxBytes,
            maxRows: limits.maxRows,
          });
        } catch (e) {
          metrics.validationFailures.inc();
          metrics.datasetUploads.inc({ result: 'invalid' });
          throw e;
        }
        const key = `datasets/${upload.cluster}/${upload.namespace}/${upload.name}/${fileName}`;
        try {
          await metrics.time(
            'minio',
            this.objects().put(
              key,
              upload.file.body,
              summary.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
            ),
          );
        } catch (e) {
          metrics.datasetUploads.inc({ result: 'failed' });
          throw e;
        }
        const dataset: Dataset = {
          id: randomUUID(),
          cluster: upload.cluster,
          namespace: upload.namespace,
          name: upload.name,
          ...(upload.description ? { description: upload.description } : {}),
          format: summary.format,
          fileName,
          bytes: summary.bytes,
          rows: summary.rows,
          fields: summary.fields,
          mapping,
          sha256: summary.sha256,
          uri: this.objects().uri(key),
          avgChars: summary.avgChars,
          createdBy: actorOf(credentials),
          createdAt: new Date().toISOString(),
        };
        await store.insertDataset(dataset);
        metrics.datasetUploads.inc({ result: 'stored' });
        metrics.datasetBytes.inc(summary.bytes);
        return {
          result: dataset,
          message: `${summary.rows} rows, ${summary.bytes} bytes, sha256 ${summary.sha256}`,
        };
      },
    );
  }

  async preview(
    credentials: BackstageCredentials,
    id: string,
    limit?: number,
  ): Promise<DatasetPreview> {
    const dataset = await this.get(credentials, id);
    const objects = this.objects();
    const key = objects.keyOf(dataset.uri);
    if (!key) {
      throw new ConflictError(
        `dataset ${dataset.name} is stored in another bucket (${dataset.uri})`,
      );
    }
    const rows = Math.min(
      Math.max(limit ?? this.options.limits.previewRows, 1),
      100,
    );
    const stream = await this.options.metrics.time(
      'minio',
      objects.stream(key),
    );
    const summary = await readDataset(stream, {
      format: dataset.format,
      mapping: dataset.mapping,
      maxBytes: Number.MAX_SAFE_INTEGER,
      maxRows: Number.MAX_SAFE_INTEGER,
      keepRows: rows,
      stopAfterSample: true,
    });
    return { dataset, rows: summary.sample };
  }

  async delete(credentials: BackstageCredentials, id: string): Promise<void> {
    const dataset = await this.options.store.getDataset(id);
    if (!dataset) throw new NotFoundError(`dataset ${id} not found`);
    await requireOn(this.options.permissions, credentials, {
      read: finetuningDatasetReadPermission,
      cluster: dataset.cluster,
      namespace: dataset.namespace,
      what: `dataset ${id}`,
    });
    await audited(
      this.options.audit,
      this.options.logger,
      {
        credentials,
        action: 'finetuning.dataset.delete',
        cluster: dataset.cluster,
        namespace: dataset.namespace,
        kind: 'Dataset',
        name: dataset.name,
      },
      async () => {
        await requireOn(this.options.permissions, credentials, {
          read: finetuningDatasetReadPermission,
          permission: finetuningDatasetDeletePermission,
          cluster: dataset.cluster,
          namespace: dataset.namespace,
          what: `dataset ${id}`,
        });
        const using = await this.options.unfinishedJobsUsing(id);
        if (using.length) {
          throw new ConflictError(
            `dataset ${dataset.name} is used by unfinished job(s): ${using.join(
              ', ',
            )}`,
          );
        }
        const key = this.objects().keyOf(dataset.uri);
        if (key) await this.objects().delete(key);
        await this.options.store.deleteDataset(id);
        return { result: undefined, message: `deleted ${dataset.uri}` };
      },
    );
  }
}
