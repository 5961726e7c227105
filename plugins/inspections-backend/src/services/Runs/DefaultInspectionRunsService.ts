import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CHECK_CATEGORIES,
  CheckCategory,
  ChecksResponse,
  ClusterInspectionSummary,
  ClustersResponse,
  CreateRunRequest,
  EntityFindingsResponse,
  ExportFormat,
  inspectionsRunCreatePermission,
  RunDetails,
  RunDiff,
  RunsResponse,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import { assertNamespacePatterns } from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  requirePermission,
} from '@kubemate/plugin-kubemate-node';
import type { InspectionEngine } from '../Engine';
import type {
  RenderedReport,
  ReportInput,
  ReportRenderer,
} from '../Reports/types';
import type { InspectionStore } from '../Store';
import { diffRuns } from './diff';
import type { InspectionRunsService } from './types';
import { filterDetails, readVisibility, Visibility } from './visibility';

/** Points of a cluster's trend (its own scores in its last finished runs). */
const TREND_POINTS = 30;

const userOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef;

export interface InspectionRunsServiceOptions {
  store: InspectionStore;
  engine: InspectionEngine;
  clusters: ClusterRegistryService;
  permissions: PermissionsService;
  catalog: CatalogService;
  audit: ClusterAuditService;
  renderer: ReportRenderer;
  logger: LoggerService;
  /**
   * A scheduled run is skipped when another scheduled run started less than this long ago (ms;
   * 0: never). Backstage's scheduler claims a global task on "no run in progress" only, so a
   * replica that saw the task due just before another replica's short run ended can claim it
   * again for the same slot; this turns that second claim into a no-op.
   */
  scheduledMinGapMs?: number;
}

/** {@link InspectionRunsService} over the store and the engine. */
export class DefaultInspectionRunsService implements InspectionRunsService {
  constructor(private readonly options: InspectionRunsServiceOptions) {}

  private clusterNames(): string[] {
    return this.options.clusters
      .listClusters()
      .map(c => c.name)
      .sort();
  }

  private visibility(credentials: BackstageCredentials): Promise<Visibility> {
    return readVisibility(this.options.permissions, credentials);
  }

  async checks(credentials: BackstageCredentials): Promise<ChecksResponse> {
    await this.visibility(credentials);
    const { ruleset } = this.options.engine;
    return { checks: ruleset.infos(), rulesetHash: ruleset.hash };
  }

  private async trend(cluster: string) {
    const runs = await this.options.store.finishedRunsOf(cluster, TREND_POINTS);
    return runs
      .filter(r => r.clusterScores?.[cluster])
      .reverse()
      .map(r => ({
        runId: r.id,
        at: r.finishedAt ?? r.startedAt,
        score: r.clusterScores![cluster].overall,
        grade: r.clusterScores![cluster].grade,
      }));
  }

  async clusters(credentials: BackstageCredentials): Promise<ClustersResponse> {
    await this.visibility(credentials);
    const { store } = this.options;
    const clusters = await Promise.all(
      this.clusterNames().map(
        async (cluster): Promise<ClusterInspectionSummary> => {
          const [[latest], trend, running] = await Promise.all([
            store.finishedRunsOf(cluster, 1),
            this.trend(cluster),
            store.runningRunsOf(cluster),
          ]);
          const scores = latest?.clusterScores?.[cluster];
          const findingsBySeverity =
            latest?.clusterFindingsBySeverity?.[cluster];
          return {
            cluster,
            ...(latest ? { latest } : {}),
            ...(scores ? { scores } : {}),
            ...(findingsBySeverity ? { findingsBySeverity } : {}),
            trend,
            ...(running.length ? { running: running[0].id } : {}),
          };
        },
      ),
    );
    return { clusters };
  }

  async list(
    credentials: BackstageCredentials,
    query: { cluster?: string; limit?: number; offset?: number },
  ): Promise<RunsResponse> {
    await this.visibility(credentials);
    return this.options.store.listRuns({
      cluster: query.cluster,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
  }

  /** The request as a validated scope (400 naming what is wrong). */
  private scopeOf(request: CreateRunRequest) {
    const known = this.clusterNames();
    const clusters = request.clusters?.length ? request.clusters : known;
    const unknown = clusters.filter(c => !known.includes(c));
    if (unknown.length) {
      throw new InputError(
        `unknown cluster${unknown.length > 1 ? 's' : ''} ${unknown.join(
          ', ',
        )} (configured: ${known.join(', ') || 'none'})`,
      );
    }
    if (!clusters.length) {
      throw new InputError('no clusters are configured to inspect');
    }
    try {
      assertNamespacePatterns(request.namespaces ?? []);
    } catch (e) {
      throw new InputError(
        `${
          isError(e) ? e.message : String(e)
        }: namespaces are names or prefix patterns such as payments-*`,
      );
    }
    const badCategories = (request.categories ?? []).filter(
      c => !CHECK_CATEGORIES.includes(c as CheckCategory),
    );
    if (badCategories.length) {
      throw new InputError(
        `unknown categor${
          badCategories.length > 1 ? 'ies' : 'y'
        } ${badCategories.join(', ')} (known: ${CHECK_CATEGORIES.join(', ')})`,
      );
    }
    return {
      clusters,
      ...(request.namespaces?.length ? { namespaces: request.namespaces } : {}),
      ...(request.categories?.length ? { categories: request.categories } : {}),
    };
  }

  async create(
    credentials: BackstageCredentials,
    request: CreateRunRequest,
  ): Promise<RunSummary> {
    const { audit, logger, permissions, engine } = this.options;
    const actor = userOf(credentials) ?? 'unknown';
    const target = request.clusters?.length
      ? request.clusters.join(',')
      : undefined;
    const record = (
      result: 'success' | 'failure',
      message: string,
      runId?: string,
    ) =>
      audit
        .record({
          actor,
          action: 'inspections.run.create',
          cluster: target,
          kind: 'InspectionRun',
          ...(runId ? { name: runId } : {}),
          result,
          message,
        })
        .catch(e => logger.error(`Failed to write audit record: ${String(e)}`));
    try {
      await requirePermission(
        permissions,
        { credentials, permission: inspectionsRunCreatePermission },
        { subject: actor },
      );
      const scope = this.scopeOf(request);
      const run = await engine.start({
        trigger: 'user',
        ...(userOf(credentials) ? { triggeredBy: userOf(credentials) } : {}),
        scope,
      });
      await record(
        'success',
        `started run ${run.id} over ${run.scope.clusters.join(', ')}${
          run.scope.namespaces
            ? ` (namespaces ${run.scope.namespaces.join(', ')})`
            : ''
        }${
          run.scope.categories
            ? ` (categories ${run.scope.categories.join(', ')})`
            : ''
        }`,
        run.id,
      );
      return run;
    } catch (e) {
      await record('failure', isError(e) ? e.message : String(e));
      throw e;
    }
  }

  /** The whole run (unfiltered); 404 for an unknown id. */
  private async load(runId: string): Promise<RunDetails> {
    const { store } = this.options;
    const run = await store.getRun(runId);
    if (!run) throw new NotFoundError(`no inspection run ${runId}`);
    const [checks, findings] = await Promise.all([
      store.checkResults(runId),
      store.findings(runId),
    ]);
    return { ...run, checks, findings, hiddenFindings: 0 };
  }

  async details(
    credentials: BackstageCredentials,
    runId: string,
  ): Promise<RunDetails> {
    const visible = await this.visibility(credentials);
    return filterDetails(await this.load(runId), visible);
  }

  async diff(
    credentials: BackstageCredentials,
    baseRunId: string,
    headRunId: string,
  ): Promise<RunDiff> {
    const visible = await this.visibility(credentials);
    const [base, head] = await Promise.all([
      this.load(baseRunId),
      this.load(headRunId),
    ]);
    return diffRuns(filterDetails(base, visible), filterDetails(head, visible));
  }

  async export(
    credentials: BackstageCredentials,
    runId: string,
    format: ExportFormat,
  ): Promise<RenderedReport> {
    const { store, engine, renderer } = this.options;
    const visible = await this.visibility(credentials);
    const run = filterDetails(await this.load(runId), visible);
    const previous = await store.previousRun(
      run.scope.clusters,
      run.startedAt,
      run.id,
    );
    const diff = previous
      ? diffRuns(filterDetails(await this.load(previous.id), visible), run)
      : undefined;
    const trend = await Promise.all(
      run.scope.clusters.map(async cluster => ({
        cluster,
        points: await this.trend(cluster),
      })),
    );
    const exemptions = (await store.listExemptions()).filter(e =>
      visible(e.object),
    );
    const user = userOf(credentials);
    const input: ReportInput = {
      run,
      ...(diff ? { diff } : {}),
      trend,
      exemptions,
      checks: engine.ruleset.infos(),
      generatedAt: new Date(),
      ...(user ? { generatedBy: user } : {}),
    };
    return renderer.render(format, input);
  }

  async entityFindings(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<EntityFindingsResponse> {
    const { store, catalog } = this.options;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`no catalog entity ${entityRef}`);
    const visible = await this.visibility(credentials);
    // the latest finished run of each cluster: that cluster's findings; global findings (no
    // cluster) from the newest of those runs
    const latest = (
      await Promise.all(
        this.clusterNames().map(async c => ({
          cluster: c,
          run: (await store.finishedRunsOf(c, 1))[0],
        })),
      )
    ).filter((l): l is { cluster: string; run: RunSummary } => !!l.run);
    const runs = [...new Map(latest.map(l => [l.run.id, l.run])).values()].sort(
      (a, b) => b.startedAt.localeCompare(a.startedAt),
    );
    const findings = (
      await Promise.all([
        ...latest.map(l =>
          store.findings(l.run.id, { entityRef, cluster: l.cluster }),
        ),
        ...(runs.length
          ? [store.findings(runs[0].id, { entityRef, cluster: null })]
          : []),
      ])
    )
      .flat()
      .filter(f => visible(f.object));
    const exemptions = (
      await store.listExemptions({ status: ['active'], entityRef })
    ).filter(e => visible(e.object));
    return { runs, findings, exemptions };
  }

  async scheduledRun(): Promise<RunSummary | undefined> {
    const { engine, logger } = this.options;
    const clusters = this.clusterNames();
    if (!clusters.length) {
      logger.info('inspections: no clusters configured, scheduled run skipped');
      return undefined;
    }
    const minGap = this.options.scheduledMinGapMs ?? 0;
    if (minGap > 0) {
      const last = await this.options.store.latestStartOf('schedule');
      if (last !== undefined && Date.now() - last < minGap) {
        logger.info(
          `inspections: a scheduled run started ${Math.round(
            (Date.now() - last) / 1000,
          )} s ago (another replica took this slot), this one skipped`,
        );
        return undefined;
      }
    }
    try {
      const run = await engine.start({
        trigger: 'schedule',
        scope: { clusters },
      });
      logger.info(
        `inspections: scheduled run ${run.id} over ${clusters.join(
          ', ',
        )} started`,
      );
      return run;
    } catch (e) {
      if (
        e instanceof ConflictError ||
        (isError(e) && e.name === 'ConflictError')
      ) {
        logger.warn(`inspections: scheduled run not started: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  }

  async latestRuns(): Promise<RunSummary[]> {
    const { store } = this.options;
    const latest = await Promise.all(
      this.clusterNames().map(async c => (await store.finishedRunsOf(c, 1))[0]),
    );
    return [
      ...new Map(
        latest.filter((r): r is RunSummary => !!r).map(r => [r.id, r]),
      ).values(),
    ];
  }
}
