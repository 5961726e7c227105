import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AutoscalingV2Api,
  Informer,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  ObjectCache,
  VersionApi,
  Watch,
  makeInformer,
} from '@kubernetes/client-node';
import { toBackstageError } from '../../lib/errors';
import { ClusterRegistryService, KubeClients } from '../ClusterRegistry/types';
import {
  CacheListOptions,
  CachedKind,
  CachedKinds,
  ResourceCacheService,
} from './types';
import { stripCachedObject } from './stripCachedObject';

type Lister = (
  c: KubeClients,
) => Promise<KubernetesListObject<KubernetesObject>>;

const SOURCES: Record<CachedKind, { path: string; list: Lister }> = {
  pods: { path: '/api/v1/pods', list: c => c.core.listPodForAllNamespaces() },
  deployments: {
    path: '/apis/apps/v1/deployments',
    list: c => c.apps.listDeploymentForAllNamespaces(),
  },
  replicasets: {
    path: '/apis/apps/v1/replicasets',
    list: c => c.apps.listReplicaSetForAllNamespaces(),
  },
  statefulsets: {
    path: '/apis/apps/v1/statefulsets',
    list: c => c.apps.listStatefulSetForAllNamespaces(),
  },
  daemonsets: {
    path: '/apis/apps/v1/daemonsets',
    list: c => c.apps.listDaemonSetForAllNamespaces(),
  },
  jobs: {
    path: '/apis/batch/v1/jobs',
    list: c => c.batch.listJobForAllNamespaces(),
  },
  cronjobs: {
    path: '/apis/batch/v1/cronjobs',
    list: c => c.batch.listCronJobForAllNamespaces(),
  },
  services: {
    path: '/api/v1/services',
    list: c => c.core.listServiceForAllNamespaces(),
  },
  horizontalpodautoscalers: {
    path: '/apis/autoscaling/v2/horizontalpodautoscalers',
    list: c =>
      c.kubeConfig
        .makeApiClient(AutoscalingV2Api)
        .listHorizontalPodAutoscalerForAllNamespaces(),
  },
  events: {
    path: '/api/v1/events',
    list: c => c.core.listEventForAllNamespaces(),
  },
  namespaces: { path: '/api/v1/namespaces', list: c => c.core.listNamespace() },
  nodes: { path: '/api/v1/nodes', list: c => c.core.listNode() },
};

/** A watch whose objects pass through {@link stripCachedObject} before the informer stores them. */
class StrippingWatch extends Watch {
  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    return super.watch(
      path,
      queryParams,
      (phase, apiObj, watchObj) =>
        callback(
          phase,
          phase === 'ERROR' || phase === 'BOOKMARK'
            ? apiObj
            : stripCachedObject(apiObj),
          watchObj,
        ),
      done,
    );
  }
}

/**
 * An informer (list, then watch) of `path` whose stored objects are stripped of the fields no
 * reader uses (stripCachedObject), the initial list's as well as the watch's.
 */
export function makeStrippingInformer(
  kubeConfig: KubeConfig,
  path: string,
  list: () => Promise<KubernetesListObject<KubernetesObject>>,
): Informer<KubernetesObject> & ObjectCache<KubernetesObject> {
  return new ListWatch<KubernetesObject>(
    path,
    new StrippingWatch(kubeConfig),
    async () => {
      const result = await list();
      for (const item of result.items ?? []) {
        stripCachedObject(item);
      }
      return result;
    },
    false,
  );
}

interface Entry {
  informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  ready: Promise<void>;
  stopped: boolean;
  /** Its watch failed and has not been restarted yet: since when, and why. */
  failing?: { since: number; error: unknown };
}

const RESTART_DELAY_MS = 3_000;

export class InformerResourceCache implements ResourceCacheService {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;

  private readonly stripFields: boolean;

  /**
   * `options.stripUnusedFields` (default true; false when the environment variable
   * KUBEMATE_RESOURCE_CACHE_FULL_OBJECTS=1 is set, a diagnostic switch that
   * bench/cluster-ops-workloads.mjs uses to measure what the transform saves): store objects
   * through {@link stripCachedObject}.
   */
  constructor(
    private readonly clusters: ClusterRegistryService,
    private readonly logger: LoggerService,
    options: { stripUnusedFields?: boolean } = {},
  ) {
    this.stripFields =
      options.stripUnusedFields ??
      process.env.KUBEMATE_RESOURCE_CACHE_FULL_OBJECTS !== '1';
    if (!this.stripFields) {
      logger.warn(
        'Resource cache: storing full objects (managedFields and last-applied-configuration kept)',
      );
    }
  }

  private entry(cluster: string, kind: CachedKind): Entry {
    const key = `${cluster}/${kind}`;
    const existing = this.entries.get(key);
    if (existing) {
      return existing;
    }
    const clients = this.clusters.portalClients(cluster);
    const source = SOURCES[kind];
    const informer = this.stripFields
      ? makeStrippingInformer(clients.kubeConfig, source.path, () =>
          source.list(clients),
        )
      : makeInformer<KubernetesObject>(clients.kubeConfig, source.path, () =>
          source.list(clients),
        );
    const entry: Entry = {
      informer,
      stopped: false,
      ready: Promise.resolve(),
    };
    // A failed watch is restarted once the apiserver answers again (its version, every
    // RESTART_DELAY_MS); until then reads of this kind are a 503 naming the cluster rather than
    // the objects as they were when the watch broke (the fault run found stale pods served for
    // as long as the apiserver was down).
    const restart = () => {
      if (this.stopping || entry.stopped) {
        return;
      }
      clients.kubeConfig
        .makeApiClient(VersionApi)
        .getCode()
        .then(
          () => {
            if (this.stopping || entry.stopped) return;
            entry.failing = undefined;
            informer.start().catch(() => {
              /* reported through the error handler */
            });
          },
          () => setTimeout(restart, RESTART_DELAY_MS).unref(),
        );
    };
    informer.on('error', (err: unknown) => {
      if (this.stopping || entry.stopped) {
        return;
      }
      entry.failing ??= { since: Date.now(), error: err };
      this.logger.warn(
        `Watch of ${kind} on ${cluster} failed, restarting once the apiserver answers (checked every ${RESTART_DELAY_MS} ms): ${String(
          err,
        )}`,
      );
      setTimeout(restart, RESTART_DELAY_MS).unref();
    });
    entry.ready = informer.start().catch(err => {
      // forget the failed informer so that the next read tries again
      entry.stopped = true;
      this.entries.delete(key);
      informer.stop().catch(() => {});
      throw toBackstageError(err, cluster);
    });
    this.entries.set(key, entry);
    this.logger.debug(`Started watching ${kind} on ${cluster}`);
    return entry;
  }

  async list<K extends CachedKind>(
    cluster: string,
    kind: K,
    options: CacheListOptions = {},
  ): Promise<CachedKinds[K][]> {
    this.clusters.getCluster(cluster); // NotFoundError for unknown clusters
    const entry = this.entry(cluster, kind);
    await entry.ready;
    if (entry.failing && !options.allowStale) {
      const cause = toBackstageError(entry.failing.error, cluster).message;
      throw new ServiceUnavailableError(
        `Kubernetes cluster ${cluster}: the watch of ${kind} failed ${Math.round(
          (Date.now() - entry.failing.since) / 1000,
        )} s ago and has not resumed (${cause})`,
      );
    }
    const all = entry.informer.list(options.namespace);
    const labels = Object.entries(options.labels ?? {});
    const matching = labels.length
      ? all.filter(o => labels.every(([k, v]) => o.metadata?.labels?.[k] === v))
      : all;
    return matching as CachedKinds[K][];
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      entries.map(async e => {
        e.stopped = true;
        await e.informer.stop().catch(() => {});
      }),
    );
  }
}
