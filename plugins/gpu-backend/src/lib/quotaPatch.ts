/*
 * Conflict-safe changes of a ClusterQueue's GPU quota and of a namespace ResourceQuota: read,
 * compute the new spec, merge-patch it carrying the resourceVersion read (the apiserver answers 409
 * when someone changed the object in between), and retry on a conflict with a fresh read.
 */
import { InputError, NotFoundError } from '@backstage/errors';
import { GPU_RESOURCE } from '@kubemate/plugin-gpu-common';
import { KubeClients } from '@kubemate/plugin-kubemate-node';
import {
  PatchStrategy,
  setHeaderOptions,
  V1ResourceQuota,
} from '@kubernetes/client-node';
import {
  ClusterQueueObject,
  KUEUE,
  parseQuantity,
  RESOURCE_QUOTA_GPU,
  ResourceGroupSpec,
} from './kueue';
import { isNamed, kubeCall } from './upstream';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const MAX_ATTEMPTS = 5;

/** A change of one flavor's GPU quota: absolute values, or a delta of the nominal quota. */
export interface FlavorQuotaChange {
  flavor: string;
  nominal?: number;
  /** Added to the nominal quota (negative: subtracted, never below 0). */
  nominalDelta?: number;
  /** null removes the limit. */
  borrowingLimit?: number | null;
  lendingLimit?: number | null;
}

/**
 * The ClusterQueue's resource groups with the changes applied to `nvidia.com/gpu` of each flavor;
 * InputError when a flavor has no GPU quota in the queue. Returns the nominal quota before and
 * after per flavor too.
 */
export function applyFlavorChanges(
  cq: ClusterQueueObject,
  changes: FlavorQuotaChange[],
): {
  resourceGroups: ResourceGroupSpec[];
  nominal: Record<string, { before: number; after: number }>;
} {
  const resourceGroups: ResourceGroupSpec[] = JSON.parse(
    JSON.stringify(cq.spec.resourceGroups ?? []),
  );
  const nominal: Record<string, { before: number; after: number }> = {};
  for (const change of changes) {
    const resource = resourceGroups
      .flatMap(g => g.flavors ?? [])
      .find(f => f.name === change.flavor)
      ?.resources?.find(r => r.name === GPU_RESOURCE);
    if (!resource) {
      throw new InputError(
        `flavor: ClusterQueue ${cq.metadata.name} has no ${GPU_RESOURCE} quota in flavor '${change.flavor}'`,
      );
    }
    const before = parseQuantity(resource.nominalQuota);
    let after = before;
    if (change.nominal !== undefined) after = change.nominal;
    if (change.nominalDelta !== undefined) {
      after = Math.max(0, after + change.nominalDelta);
    }
    resource.nominalQuota = String(after);
    nominal[change.flavor] = { before, after };
    for (const key of ['borrowingLimit', 'lendingLimit'] as const) {
      const value = change[key];
      if (value === null) delete resource[key];
      else if (value !== undefined) resource[key] = String(value);
    }
  }
  return { resourceGroups, nominal };
}

/**
 * Reads the ClusterQueue as `clients`' identity, lets `mutate` compute the patch of its spec, and
 * merge-patches it with the resourceVersion read; retried on 409 Conflict (up to 5 reads).
 * Returns the patched object and what `mutate` returned for the successful attempt.
 */
export async function patchClusterQueue<R>(
  clients: KubeClients,
  name: string,
  mutate: (cq: ClusterQueueObject) => {
    /** Undefined: nothing to change (the object is returned as read). */
    spec?: Partial<ClusterQueueObject['spec']>;
    /** Annotations to set (null removes one). */
    annotations?: Record<string, string | null>;
    result: R;
  },
  timeoutMs?: number,
): Promise<{ clusterQueue: ClusterQueueObject; result: R }> {
  const cluster = clients.cluster.name;
  for (let attempt = 1; ; attempt++) {
    let cq: ClusterQueueObject;
    try {
      cq = (await kubeCall(
        cluster,
        clients.custom.getClusterCustomObject({
          ...KUEUE,
          plural: 'clusterqueues',
          name,
        }),
        timeoutMs,
      )) as ClusterQueueObject;
    } catch (e) {
      if (isNamed(e, 'NotFoundError')) {
        throw new NotFoundError(`ClusterQueue ${name} not found in ${cluster}`);
      }
      throw e;
    }
    const { spec, annotations, result } = mutate(cq);
    if (!spec && !annotations) return { clusterQueue: cq, result };
    try {
      const patched = (await kubeCall(
        cluster,
        clients.custom.patchClusterCustomObject(
          {
            ...KUEUE,
            plural: 'clusterqueues',
            name,
            body: {
              metadata: {
                resourceVersion: cq.metadata.resourceVersion,
                ...(annotations ? { annotations } : {}),
              },
              ...(spec ? { spec } : {}),
            },
          },
          MERGE_PATCH,
        ),
        timeoutMs,
      )) as ClusterQueueObject;
      return { clusterQueue: patched, result };
    } catch (e) {
      if (!isNamed(e, 'ConflictError') || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

/**
 * Changes `requests.nvidia.com/gpu` of a namespace's ResourceQuota, conflict-safe like
 * {@link patchClusterQueue}: `mutate` gets the current hard limit and the annotations and returns
 * the new limit and annotations to set (undefined: nothing to change). Returns the limit before and
 * after.
 */
export async function patchResourceQuotaGpus(
  clients: KubeClients,
  namespace: string,
  name: string,
  mutate: (
    hard: number,
    annotations: Record<string, string>,
  ) =>
    | { hard: number; annotations?: Record<string, string | null> }
    | undefined,
  timeoutMs?: number,
): Promise<{ before: number; after: number }> {
  const cluster = clients.cluster.name;
  for (let attempt = 1; ; attempt++) {
    const rq: V1ResourceQuota = await kubeCall(
      cluster,
      clients.core.readNamespacedResourceQuota({ namespace, name }),
      timeoutMs,
    );
    const before = parseQuantity(
      (rq.spec?.hard?.[RESOURCE_QUOTA_GPU] as string | undefined) ?? 0,
    );
    const change = mutate(before, rq.metadata?.annotations ?? {});
    if (!change) return { before, after: before };
    const after = Math.max(0, change.hard);
    try {
      await kubeCall(
        cluster,
        clients.core.patchNamespacedResourceQuota(
          {
            namespace,
            name,
            body: {
              metadata: {
                resourceVersion: rq.metadata?.resourceVersion,
                ...(change.annotations
                  ? { annotations: change.annotations }
                  : {}),
              },
              spec: { hard: { [RESOURCE_QUOTA_GPU]: String(after) } },
            },
          },
          MERGE_PATCH,
        ),
        timeoutMs,
      );
      return { before, after };
    } catch (e) {
      if (!isNamed(e, 'ConflictError') || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}
