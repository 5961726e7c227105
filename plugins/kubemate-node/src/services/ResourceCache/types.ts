import {
  CoreV1Event,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1HorizontalPodAutoscaler,
  V1Job,
  V1Namespace,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';

/** The object types kept in the watch-based cache. */
export interface CachedKinds {
  pods: V1Pod;
  deployments: V1Deployment;
  replicasets: V1ReplicaSet;
  statefulsets: V1StatefulSet;
  daemonsets: V1DaemonSet;
  jobs: V1Job;
  cronjobs: V1CronJob;
  services: V1Service;
  horizontalpodautoscalers: V1HorizontalPodAutoscaler;
  events: CoreV1Event;
  namespaces: V1Namespace;
  nodes: V1Node;
}

export type CachedKind = keyof CachedKinds;

export interface CacheListOptions {
  namespace?: string;
  /** Equality label requirements every returned object must satisfy. */
  labels?: Record<string, string>;
  /**
   * While the cluster's watch is broken (its apiserver unreachable), answer the objects as they
   * were when it broke instead of a 503: for reads where the last known state is good enough,
   * such as which namespaces an entity's pods run in.
   */
  allowStale?: boolean;
}

/**
 * Watch-based cache of cluster objects, read with the portal identity. An informer per cluster
 * and kind is started on first use; later reads are served from memory.
 */
export interface ResourceCacheService {
  list<K extends CachedKind>(
    cluster: string,
    kind: K,
    options?: CacheListOptions,
  ): Promise<CachedKinds[K][]>;
  /** Stops every informer (called on shutdown). */
  stop(): Promise<void>;
}
