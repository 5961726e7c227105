import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  Dataset,
  FinetuningJobSpec,
  ServedModel,
  Sweep,
} from '@kubemate/plugin-finetuning-common';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import { Knex } from 'knex';

export const DATASETS_TABLE = 'finetuning_datasets';
export const JOBS_TABLE = 'finetuning_jobs';
export const SWEEPS_TABLE = 'finetuning_sweeps';
export const SERVED_MODELS_TABLE = 'finetuning_served_models';

/** Whether the portal's launch went through, and the cancel. */
export type JobRecordStatus = 'launched' | 'failed' | 'cancelled';

/** A job as the portal launched it (kept after its PyTorchJob is gone). */
export interface JobRecord {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  team?: string;
  spec: FinetuningJobSpec;
  status: JobRecordStatus;
  /** why it failed to launch, or the cancel's words */
  message?: string;
  mlflowRunId?: string;
  mlflowExperimentId?: string;
  outputUri: string;
  createdBy: string;
  createdAt: string;
  cancelledAt?: string;
  /** the last terminal state seen on the PyTorchJob (shown when it is gone) */
  finalState?: 'Succeeded' | 'Failed';
  startedAt?: string;
  finishedAt?: string;
}

interface JsonRow {
  id: string;
  cluster: string;
  namespace: string;
  data: string;
}

const parse = <T>(r: { data: string }) => JSON.parse(r.data) as T;

/**
 * The plugin's tables (SQLite in tests, PostgreSQL in production): a few key columns for
 * queries and uniqueness, the record itself as JSON.
 */
export class DatabaseFinetuningStore {
  private readonly db: () => Promise<Knex>;

  constructor(database: DatabaseService) {
    this.db = lazyDatabase(database, async db => {
      await ensureTable(db, DATASETS_TABLE, t => {
        t.string('id', 64).primary();
        t.string('cluster', 253).notNullable();
        t.string('namespace', 63).notNullable();
        t.string('name', 63).notNullable();
        t.bigInteger('created_at_ms').notNullable();
        t.text('data').notNullable();
        t.unique(['cluster', 'namespace', 'name']);
      });
      await ensureTable(db, JOBS_TABLE, t => {
        t.string('id', 64).primary();
        t.string('cluster', 253).notNullable();
        t.string('namespace', 63).notNullable();
        t.string('name', 253).notNullable();
        t.string('status', 16).notNullable();
        t.string('dataset_id', 64).nullable();
        t.string('sweep_id', 64).nullable();
        t.bigInteger('created_at_ms').notNullable();
        t.text('data').notNullable();
        t.index(['dataset_id']);
        t.index(['sweep_id']);
      });
      await ensureTable(db, SWEEPS_TABLE, t => {
        t.string('id', 64).primary();
        t.string('cluster', 253).notNullable();
        t.string('namespace', 63).notNullable();
        t.bigInteger('created_at_ms').notNullable();
        t.text('data').notNullable();
      });
      await ensureTable(db, SERVED_MODELS_TABLE, t => {
        t.string('id', 255).primary();
        t.string('cluster', 253).notNullable();
        t.string('namespace', 63).notNullable();
        t.string('job_id', 64).notNullable();
        t.bigInteger('created_at_ms').notNullable();
        t.text('data').notNullable();
      });
    });
  }

  // ----------------------------------------------------------------------------- datasets

  async insertDataset(d: Dataset): Promise<void> {
    const db = await this.db();
    const existing = await db(DATASETS_TABLE)
      .where({ cluster: d.cluster, namespace: d.namespace, name: d.name })
      .first();
    if (existing) {
      throw new ConflictError(
        `name: a dataset ${d.name} already exists in ${d.namespace}`,
      );
    }
    await db(DATASETS_TABLE).insert({
      id: d.id,
      cluster: d.cluster,
      namespace: d.namespace,
      name: d.name,
      created_at_ms: Date.parse(d.createdAt),
      data: JSON.stringify(d),
    });
  }

  async datasetNameTaken(
    cluster: string,
    namespace: string,
    name: string,
  ): Promise<boolean> {
    const db = await this.db();
    return !!(await db(DATASETS_TABLE)
      .where({ cluster, namespace, name })
      .first());
  }

  async getDataset(id: string): Promise<Dataset | undefined> {
    const db = await this.db();
    const row = await db<JsonRow>(DATASETS_TABLE).where({ id }).first();
    return row ? parse<Dataset>(row) : undefined;
  }

  async listDatasets(filter: {
    cluster?: string;
    namespace?: string;
  }): Promise<Dataset[]> {
    const db = await this.db();
    const q = db<JsonRow>(DATASETS_TABLE).orderBy('created_at_ms', 'desc');
    if (filter.cluster) q.where('cluster', filter.cluster);
    if (filter.namespace) q.where('namespace', filter.namespace);
    return (await q).map(r => parse<Dataset>(r));
  }

  async deleteDataset(id: string): Promise<void> {
    const db = await this.db();
    await db(DATASETS_TABLE).where({ id }).delete();
  }

  // --------------------------------------------------------------------------------- jobs

  async insertJob(j: JobRecord): Promise<void> {
    const db = await this.db();
    await db(JOBS_TABLE).insert({
      id: j.id,
      cluster: j.cluster,
      namespace: j.namespace,
      name: j.name,
      status: j.status,
      dataset_id: j.spec.datasetId,
      sweep_id: j.spec.sweepId ?? null,
      created_at_ms: Date.parse(j.createdAt),
      data: JSON.stringify(j),
    });
  }

  async updateJob(j: JobRecord): Promise<void> {
    const db = await this.db();
    await db(JOBS_TABLE)
      .where({ id: j.id })
      .update({ status: j.status, data: JSON.stringify(j) });
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const db = await this.db();
    const row = await db<JsonRow>(JOBS_TABLE).where({ id }).first();
    return row ? parse<JobRecord>(row) : undefined;
  }

  async listJobs(filter: {
    cluster?: string;
    namespace?: string;
    sweepId?: string;
    datasetId?: string;
  }): Promise<JobRecord[]> {
    const db = await this.db();
    const q = db<JsonRow>(JOBS_TABLE).orderBy('created_at_ms', 'desc');
    if (filter.cluster) q.where('cluster', filter.cluster);
    if (filter.namespace) q.where('namespace', filter.namespace);
    if (filter.sweepId) q.where('sweep_id', filter.sweepId);
    if (filter.datasetId) q.where('dataset_id', filter.datasetId);
    return (await q).map(r => parse<JobRecord>(r));
  }

  async deleteJob(id: string): Promise<void> {
    const db = await this.db();
    await db(JOBS_TABLE).where({ id }).delete();
  }

  async jobCounts(): Promise<Record<string, number>> {
    const db = await this.db();
    const rows = await db(JOBS_TABLE)
      .select('status')
      .count<Array<{ status: string; n: number | string }>>({ n: '*' })
      .groupBy('status');
    return Object.fromEntries(rows.map(r => [r.status, Number(r.n)]));
  }

  // ------------------------------------------------------------------------------- sweeps

  async insertSweep(s: Sweep): Promise<void> {
    const db = await this.db();
    await db(SWEEPS_TABLE).insert({
      id: s.id,
      cluster: s.cluster,
      namespace: s.namespace,
      created_at_ms: Date.parse(s.createdAt),
      data: JSON.stringify(s),
    });
  }

  async getSweep(id: string): Promise<Sweep | undefined> {
    const db = await this.db();
    const row = await db<JsonRow>(SWEEPS_TABLE).where({ id }).first();
    return row ? parse<Sweep>(row) : undefined;
  }

  async listSweeps(filter: {
    cluster?: string;
    namespace?: string;
  }): Promise<Sweep[]> {
    const db = await this.db();
    const q = db<JsonRow>(SWEEPS_TABLE).orderBy('created_at_ms', 'desc');
    if (filter.cluster) q.where('cluster', filter.cluster);
    if (filter.namespace) q.where('namespace', filter.namespace);
    return (await q).map(r => parse<Sweep>(r));
  }

  // ------------------------------------------------------------------------ served models

  /** Inserts or replaces (a model served again under the same name). */
  async upsertServedModel(m: ServedModel): Promise<void> {
    const db = await this.db();
    await db(SERVED_MODELS_TABLE).where({ id: m.name }).delete();
    await db(SERVED_MODELS_TABLE).insert({
      id: m.name,
      cluster: m.cluster,
      namespace: m.namespace,
      job_id: m.jobId,
      created_at_ms: Date.parse(m.createdAt),
      data: JSON.stringify(m),
    });
  }

  async listServedModels(
    filter: { jobId?: string } = {},
  ): Promise<ServedModel[]> {
    const db = await this.db();
    const q = db<JsonRow>(SERVED_MODELS_TABLE).orderBy('created_at_ms', 'desc');
    if (filter.jobId) q.where('job_id', filter.jobId);
    return (await q).map(r => parse<ServedModel>(r));
  }
}
