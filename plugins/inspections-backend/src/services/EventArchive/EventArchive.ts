import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CoreV1Event } from '@kubernetes/client-node';
import type {
  ArchivedEvent,
  InspectionDataSources,
} from '@kubemate/plugin-inspections-node';
import type {
  ClusterRegistryService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import type { InspectionStore } from '../Store';

/** How long archived Warning events are kept. */
export const EVENT_ARCHIVE_DAYS = 7;

/** The scheduler task id of the collector (tests trigger it). */
export const EVENT_ARCHIVE_TASK_ID = 'inspections-event-archive';

const timeOf = (v: unknown): Date | undefined => {
  if (!v) return undefined;
  const d = v instanceof Date ? v : new Date(String(v));
  return isNaN(d.getTime()) ? undefined : d;
};

/** A Warning event of the informer cache as archived (undefined for other events). */
export function archivedEventOf(
  cluster: string,
  e: CoreV1Event,
  now: Date,
): (ArchivedEvent & { uid: string }) | undefined {
  if (e.type !== 'Warning' || !e.metadata?.uid) return undefined;
  const series = e.series?.lastObservedTime;
  const lastSeen =
    timeOf(e.lastTimestamp) ??
    timeOf(series) ??
    timeOf(e.eventTime) ??
    timeOf(e.metadata.creationTimestamp) ??
    now;
  const firstSeen =
    timeOf(e.firstTimestamp) ??
    timeOf(e.eventTime) ??
    timeOf(e.metadata.creationTimestamp) ??
    lastSeen;
  return {
    uid: e.metadata.uid,
    cluster,
    namespace: e.involvedObject?.namespace ?? e.metadata.namespace ?? '',
    kind: e.involvedObject?.kind ?? '',
    name: e.involvedObject?.name ?? '',
    reason: e.reason ?? '',
    message: e.message ?? '',
    count: e.count ?? e.series?.count ?? 1,
    firstSeen,
    lastSeen,
  };
}

/**
 * The inspections' event archive: every minute (one replica), the Warning events of every
 * cluster's informer cache are upserted into the plugin database by cluster and uid, and kept
 * {@link EVENT_ARCHIVE_DAYS} days — beyond the apiserver's event TTL (1 h by default). It is the
 * `events` data source of the checks.
 */
export class EventArchive {
  constructor(
    private readonly deps: {
      store: InspectionStore;
      clusters: ClusterRegistryService;
      cache: ResourceCacheService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /**
   * The checks' reader: archives what the cluster's cache holds now (so a run never misses the
   * events since the last pass), then reads the archive.
   */
  readonly reader: InspectionDataSources['events'] = {
    warnings: async (cluster, since) => {
      await this.collectCluster(cluster, this.deps.now?.() ?? new Date());
      return this.deps.store.warnings(cluster, since);
    },
  };

  /** Upserts one cluster's Warning events of the informer cache; returns how many. */
  private async collectCluster(name: string, now: Date): Promise<number> {
    const events = (await this.deps.cache.list(name, 'events'))
      .map(e => archivedEventOf(name, e, now))
      .filter((e): e is ArchivedEvent & { uid: string } => !!e);
    await this.deps.store.upsertEvents(events);
    return events.length;
  }

  /** One pass over every cluster; a cluster that fails is logged and skipped. */
  async collect(): Promise<{ events: number; errors: string[] }> {
    const { store, clusters, logger } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const errors: string[] = [];
    let count = 0;
    for (const { name } of clusters.listClusters()) {
      try {
        count += await this.collectCluster(name, now);
      } catch (e) {
        const message = `${name}: ${
          e instanceof Error ? e.message : String(e)
        }`;
        errors.push(message);
        logger.warn(`inspections event archive: ${message}`);
      }
    }
    await store.deleteEventsBefore(
      new Date(now.getTime() - EVENT_ARCHIVE_DAYS * 24 * 3600_000),
    );
    return { events: count, errors };
  }

  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: EVENT_ARCHIVE_TASK_ID,
      frequency: { seconds: 60 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 5 },
      scope: 'global',
      fn: async () => {
        await this.collect();
      },
    });
  }
}
