import {
  AuthService,
  DatabaseService,
  LoggerService,
  PermissionsService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { InspectionCheck } from '@kubemate/plugin-inspections-node';
import type {
  ClusterAuditService,
  ClusterRegistryService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import type express from 'express';
import { createBuiltinChecks } from '../checks';
import { DefaultInspectionDataSources } from './DataSources';
import { DefaultInspectionEngine, Ruleset } from './Engine';
import type { InspectionEngine } from './Engine';
import { EVENT_ARCHIVE_TASK_ID, EventArchive } from './EventArchive';
import { DefaultExemptionsService } from './Exemptions';
import type { ExemptionsService } from './Exemptions';
import { createInspectionMetrics } from './Metrics';
import { DefaultInspectionNotifier } from './Notifier';
import { DefaultReportRenderer } from './Reports';
import { DefaultInspectionRunsService } from './Runs';
import type { InspectionRunsService } from './Runs';
import { DatabaseInspectionStore } from './Store';
import type { InspectionStore } from './Store';

/**
 * The scheduler task ids of the plugin (all `scope: 'global'`: one replica runs each), e.g. for a
 * test to trigger one with `scheduler.triggerTask(id)`.
 */
export const INSPECTIONS_TASKS = {
  /** The scheduled run over every configured cluster (`kubemate.inspections.schedule`). */
  scheduledRun: 'inspections-scheduled-run',
  /** Warning events of every cluster into the event archive, every 60 s. */
  eventArchive: EVENT_ARCHIVE_TASK_ID,
  /** Expires due exemptions, warns about expiring ones, fails runs whose replica stopped; every 5 min. */
  sweep: 'inspections-sweep',
  /** Deletes runs older than `retentionDays`, daily. */
  retention: 'inspections-retention',
} as const;

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { cron: '0 2 * * *' },
  timeout: { minutes: 60 },
};

/** What the plugin gives the services (see plugin.ts). */
export interface InspectionsServiceDeps {
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  auth: AuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  cache: ResourceCacheService;
  audit: ClusterAuditService;
  notifications: NotificationService;
  /** Checks added through `inspectionsChecksExtensionPoint`. */
  extraChecks?: InspectionCheck[];
}

export interface InspectionsServices {
  store: InspectionStore;
  engine: InspectionEngine;
  runs: InspectionRunsService;
  exemptions: ExemptionsService;
  eventArchive: EventArchive;
  metrics: express.RequestHandler;
  /** Closes the data sources' pools (the backend's shutdown). */
  stop(): Promise<void>;
}

/** `kubemate.inspections.schedule`: a schedule definition, `false` (off) or the daily default. */
export function scheduleFromConfig(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition | undefined {
  const key = 'kubemate.inspections.schedule';
  const raw = config.getOptional(key);
  if (raw === false) return undefined;
  if (raw === undefined) return DEFAULT_SCHEDULE;
  return readSchedulerServiceTaskScheduleDefinitionFromConfig(
    config.getConfig(key),
  );
}

/**
 * How close two scheduled runs may start before the second counts as a duplicate claim of the
 * same slot: half the interval, at most 30 s (a 5-field cron fires at most once a minute; a cron
 * with a seconds field: no guard).
 */
export function scheduledMinGapMs(
  schedule: SchedulerServiceTaskScheduleDefinition,
): number {
  const f = schedule.frequency as unknown;
  const cap = 30_000;
  if (f && typeof f === 'object' && 'cron' in f) {
    const fields = String((f as { cron: string }).cron)
      .trim()
      .split(/\s+/);
    return fields.length === 5 ? cap : 0;
  }
  if (f && typeof f === 'object' && !('trigger' in f)) {
    const unit: Record<string, number> = {
      milliseconds: 1,
      seconds: 1_000,
      minutes: 60_000,
      hours: 3_600_000,
      days: 86_400_000,
      weeks: 604_800_000,
      months: 2_592_000_000,
      years: 31_536_000_000,
    };
    const ms = Object.entries(f as Record<string, number>).reduce(
      (sum, [k, v]) => sum + (unit[k] ?? 0) * Number(v),
      0,
    );
    return Number.isFinite(ms) && ms > 0 ? Math.min(cap, ms / 2) : 0;
  }
  return 0;
}

/**
 * Builds the inspections services on the plugin database and schedules their background work
 * (see {@link INSPECTIONS_TASKS}).
 */
export async function createServices(
  deps: InspectionsServiceDeps,
): Promise<InspectionsServices> {
  const { config, database, scheduler, logger, clusters } = deps;
  const num = (key: string, fallback: number) =>
    config.getOptionalNumber(`kubemate.inspections.${key}`) ?? fallback;
  const lockTtlSeconds = num('lockTtlSeconds', 120);
  const retentionDays = num('retentionDays', 90);

  const store = new DatabaseInspectionStore(database);
  const eventArchive = new EventArchive({
    store,
    clusters,
    cache: deps.cache,
    logger,
  });
  const sources = DefaultInspectionDataSources.fromConfig(config, {
    clusters,
    cache: deps.cache,
    events: eventArchive.reader,
    logger,
  });
  const notifier = new DefaultInspectionNotifier({
    notifications: deps.notifications,
    catalog: deps.catalog,
    auth: deps.auth,
    logger,
    enabled:
      config.getOptionalBoolean('kubemate.inspections.notifications.enabled') ??
      true,
  });
  // duplicate check ids throw here, which fails the backend's start
  const ruleset = Ruleset.fromConfig(
    [...createBuiltinChecks(config), ...(deps.extraChecks ?? [])],
    config,
  );
  const engine = new DefaultInspectionEngine({
    store,
    ruleset,
    sources,
    catalog: deps.catalog,
    auth: deps.auth,
    notifier,
    logger,
    lockTtlSeconds,
  });
  const schedule = scheduleFromConfig(config);
  const runs = new DefaultInspectionRunsService({
    scheduledMinGapMs: schedule ? scheduledMinGapMs(schedule) : 0,
    store,
    engine,
    clusters,
    permissions: deps.permissions,
    catalog: deps.catalog,
    audit: deps.audit,
    renderer: new DefaultReportRenderer(),
    logger,
  });
  const exemptions = new DefaultExemptionsService({
    store,
    permissions: deps.permissions,
    audit: deps.audit,
    notifier,
    logger,
    maxDays: num('exemptions.maxDays', 90),
    warnDays: num('exemptions.warnDays', 7),
  });
  const metrics = createInspectionMetrics({
    latestRuns: () => runs.latestRuns(),
  });

  if (schedule) {
    await scheduler.scheduleTask({
      id: INSPECTIONS_TASKS.scheduledRun,
      ...schedule,
      scope: 'global',
      fn: async () => {
        await runs.scheduledRun();
      },
    });
  } else {
    logger.info(
      'inspections: scheduled runs are off (kubemate.inspections.schedule: false)',
    );
  }
  await eventArchive.schedule(scheduler);
  await scheduler.scheduleTask({
    id: INSPECTIONS_TASKS.sweep,
    frequency: { minutes: 5 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 30 },
    scope: 'global',
    fn: async () => {
      await exemptions.sweep();
      const failed = await store.failStaleRuns(
        new Date(Date.now() - lockTtlSeconds * 1000),
        `its replica stopped: no heartbeat for more than ${lockTtlSeconds} s`,
      );
      if (failed.length) {
        logger.warn(
          `inspections: runs ${failed.join(', ')} lost their replica`,
        );
      }
    },
  });
  await scheduler.scheduleTask({
    id: INSPECTIONS_TASKS.retention,
    frequency: { hours: 24 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 2 },
    scope: 'global',
    fn: async () => {
      const deleted = await store.deleteRunsBefore(
        new Date(Date.now() - retentionDays * 24 * 3600_000),
      );
      if (deleted) {
        logger.info(
          `inspections: deleted ${deleted} run(s) older than ${retentionDays} days`,
        );
      }
    },
  });

  return {
    store,
    engine,
    runs,
    exemptions,
    eventArchive,
    metrics: metrics.handler,
    stop: () => sources.close(),
  };
}
