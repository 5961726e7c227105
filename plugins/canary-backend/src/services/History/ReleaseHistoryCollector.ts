import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import {
  ClusterRegistryService,
  KubeClients,
} from '@kubemate/plugin-kubemate-node';
import {
  CanaryObject,
  FLAGGER,
  KubeEventLike,
  toReleaseEvent,
  weightPointOf,
} from '../Releases/flagger';
import { ReleaseHistory, ReleaseRef } from './types';

/** A Canary's events on the apiserver (core Events whose involved object is the Canary). */
export async function canaryEvents(
  clients: KubeClients,
  ref?: { namespace: string; name: string },
): Promise<KubeEventLike[]> {
  const fieldSelector = ref
    ? `involvedObject.kind=Canary,involvedObject.name=${ref.name}`
    : 'involvedObject.kind=Canary';
  const res = ref
    ? await clients.core.listNamespacedEvent({
        namespace: ref.namespace,
        fieldSelector,
      })
    : await clients.core.listEventForAllNamespaces({ fieldSelector });
  return res.items as KubeEventLike[];
}

/** Every Canary of a cluster (the portal's identity). */
export async function listCanaries(
  clients: KubeClients,
  namespace?: string,
): Promise<CanaryObject[]> {
  const res = namespace
    ? await clients.custom.listNamespacedCustomObject({
        ...FLAGGER,
        namespace,
        plural: 'canaries',
      })
    : await clients.custom.listClusterCustomObject({
        ...FLAGGER,
        plural: 'canaries',
      });
  return (res as { items: CanaryObject[] }).items;
}

/** Records one Canary's weight point and the events given for it. */
export async function recordCanary(
  history: ReleaseHistory,
  cluster: string,
  canary: CanaryObject,
  events: KubeEventLike[],
  now = new Date(),
): Promise<void> {
  const ref: ReleaseRef = {
    cluster,
    namespace: canary.metadata.namespace,
    name: canary.metadata.name,
  };
  await history.recordWeight(ref, weightPointOf(canary, now));
  await history.recordEvents(ref, events.map(toReleaseEvent));
}

/**
 * Keeps the release history: every interval, the Canaries of every cluster (as the portal) with
 * their weight and phase, and Flagger's events on them, into the plugin database — so the history
 * outlives the apiserver's event TTL. Scheduled `global`: one replica runs it at a time.
 */
export class ReleaseHistoryCollector {
  constructor(
    private readonly deps: {
      clusters: ClusterRegistryService;
      history: ReleaseHistory;
      logger: LoggerService;
    },
  ) {}

  /** One pass over every cluster; a cluster that fails is logged and skipped. */
  async collect(): Promise<{ canaries: number; errors: string[] }> {
    const errors: string[] = [];
    let count = 0;
    await Promise.all(
      this.deps.clusters.listClusters().map(async c => {
        try {
          const clients = this.deps.clusters.portalClients(c.name);
          const [canaries, events] = await Promise.all([
            listCanaries(clients),
            canaryEvents(clients),
          ]);
          const byCanary = new Map<string, KubeEventLike[]>();
          for (const e of events) {
            const key = `${e.involvedObject?.namespace}/${e.involvedObject?.name}`;
            byCanary.set(key, [...(byCanary.get(key) ?? []), e]);
          }
          for (const canary of canaries) {
            const key = `${canary.metadata.namespace}/${canary.metadata.name}`;
            await recordCanary(
              this.deps.history,
              c.name,
              canary,
              byCanary.get(key) ?? [],
            );
            count++;
          }
        } catch (e) {
          const message = `${c.name}: ${
            e instanceof Error ? e.message : String(e)
          }`;
          errors.push(message);
          this.deps.logger.warn(`canary history: ${message}`);
        }
      }),
    );
    return { canaries: count, errors };
  }

  /** Runs {@link collect} every `intervalSeconds` on one replica. */
  async schedule(
    scheduler: SchedulerService,
    intervalSeconds: number,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: 'canary-release-history',
      frequency: { seconds: intervalSeconds },
      timeout: { seconds: Math.max(60, intervalSeconds * 3) },
      initialDelay: { seconds: 1 },
      scope: 'global',
      fn: async () => {
        await this.collect();
      },
    });
  }
}
