import { ServiceUnavailableError } from '@backstage/errors';
import type { CheckContext } from '@kubemate/plugin-inspections-node';
import type {
  V1Container,
  V1Job,
  V1LabelSelector,
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
  V1PodSpec,
  V1ReplicaSet,
} from '@kubernetes/client-node';

/** A workload's pod template: what the configuration checks (security, resources, probes) read. */
export interface PodTemplate {
  namespace: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job' | 'Pod';
  name: string;
  /** The pod template's labels (they map the workload to its catalog entity). */
  labels: Record<string, string>;
  spec: V1PodSpec;
  /** Desired replicas (Deployments and StatefulSets). */
  replicas?: number;
}

function controllerOf(
  meta: V1ObjectMeta | undefined,
): V1OwnerReference | undefined {
  return meta?.ownerReferences?.find(o => o.controller);
}

/**
 * The pod templates of the cluster's Deployments, StatefulSets, DaemonSets, CronJobs, Jobs without
 * a CronJob and pods without a controller, in the run's namespaces. One pass over each kind.
 */
export async function podTemplates(
  ctx: CheckContext,
  cluster: string,
): Promise<PodTemplate[]> {
  const k8s = ctx.sources.kubernetes;
  const [deployments, statefulsets, daemonsets, cronjobs, jobs, pods] =
    await Promise.all([
      k8s.list(cluster, 'deployments'),
      k8s.list(cluster, 'statefulsets'),
      k8s.list(cluster, 'daemonsets'),
      k8s.list(cluster, 'cronjobs'),
      k8s.list(cluster, 'jobs'),
      k8s.list(cluster, 'pods'),
    ]);
  const out: PodTemplate[] = [];
  const add = (
    kind: PodTemplate['kind'],
    meta: V1ObjectMeta | undefined,
    template: { metadata?: V1ObjectMeta; spec?: V1PodSpec } | undefined,
    replicas?: number,
  ) => {
    const namespace = meta?.namespace ?? '';
    if (!meta?.name || !template?.spec || !ctx.namespaceInScope(namespace)) {
      return;
    }
    out.push({
      namespace,
      kind,
      name: meta.name,
      // the template's labels and the workload's own (either may carry the entity's label)
      labels: { ...template.metadata?.labels, ...meta.labels },
      spec: template.spec,
      replicas,
    });
  };
  for (const d of deployments)
    add('Deployment', d.metadata, d.spec?.template, d.spec?.replicas ?? 1);
  for (const s of statefulsets)
    add('StatefulSet', s.metadata, s.spec?.template, s.spec?.replicas ?? 1);
  for (const d of daemonsets) add('DaemonSet', d.metadata, d.spec?.template);
  for (const c of cronjobs)
    add('CronJob', c.metadata, c.spec?.jobTemplate?.spec?.template);
  for (const j of jobs) {
    if (!controllerOf(j.metadata)) add('Job', j.metadata, j.spec?.template);
  }
  for (const p of pods) {
    if (!controllerOf(p.metadata)) {
      add('Pod', p.metadata, { metadata: p.metadata, spec: p.spec });
    }
  }
  return out;
}

/** The containers of a pod spec, init containers included, with whether they are init ones. */
export function containersOf(
  spec: V1PodSpec,
): Array<{ container: V1Container; init: boolean }> {
  return [
    ...(spec.initContainers ?? []).map(container => ({
      container,
      init: true,
    })),
    ...(spec.containers ?? []).map(container => ({ container, init: false })),
  ];
}

/** The workload a pod belongs to, stable across pod restarts and rollouts. */
export interface PodOwner {
  kind: string;
  name: string;
}

/**
 * Resolves a pod to its top-level workload: ReplicaSet → Deployment, Job → CronJob; a pod
 * without a controller is its own owner. Built once per execution from the cache (O(objects)).
 */
export class OwnerResolver {
  private readonly replicaSets = new Map<
    string,
    V1OwnerReference | undefined
  >();
  private readonly jobs = new Map<string, V1OwnerReference | undefined>();

  static async load(
    ctx: CheckContext,
    cluster: string,
  ): Promise<OwnerResolver> {
    const [replicasets, jobs] = await Promise.all([
      ctx.sources.kubernetes.list(cluster, 'replicasets'),
      ctx.sources.kubernetes.list(cluster, 'jobs'),
    ]);
    return new OwnerResolver(replicasets, jobs);
  }

  constructor(replicasets: V1ReplicaSet[], jobs: V1Job[]) {
    for (const rs of replicasets) {
      this.replicaSets.set(
        `${rs.metadata?.namespace}/${rs.metadata?.name}`,
        controllerOf(rs.metadata),
      );
    }
    for (const j of jobs) {
      this.jobs.set(
        `${j.metadata?.namespace}/${j.metadata?.name}`,
        controllerOf(j.metadata),
      );
    }
  }

  ownerOf(pod: V1Pod): PodOwner {
    const ns = pod.metadata?.namespace;
    const ref = controllerOf(pod.metadata);
    if (!ref) return { kind: 'Pod', name: pod.metadata?.name ?? '' };
    const parents: Record<string, Map<string, V1OwnerReference | undefined>> = {
      ReplicaSet: this.replicaSets,
      Job: this.jobs,
    };
    const parent = parents[ref.kind]?.get(`${ns}/${ref.name}`);
    return parent
      ? { kind: parent.kind, name: parent.name }
      : { kind: ref.kind, name: ref.name };
  }
}

/**
 * Groups per-pod observations by owner (and part), keeping the pods' names: a crash-looping
 * Deployment is one finding, whichever pods currently fail.
 */
export class ByOwner<T> {
  private readonly groups = new Map<
    string,
    {
      namespace: string;
      owner: PodOwner;
      part?: string;
      labels: Record<string, string>;
      pods: string[];
      values: T[];
    }
  >();

  add(pod: V1Pod, owner: PodOwner, part: string | undefined, value: T) {
    const namespace = pod.metadata?.namespace ?? '';
    const key = `${namespace}\u0000${owner.kind}\u0000${owner.name}\u0000${
      part ?? ''
    }`;
    let g = this.groups.get(key);
    if (!g) {
      g = {
        namespace,
        owner,
        part,
        labels: pod.metadata?.labels ?? {},
        pods: [],
        values: [],
      };
      this.groups.set(key, g);
    }
    g.pods.push(pod.metadata?.name ?? '');
    g.values.push(value);
  }

  entries() {
    return [...this.groups.values()];
  }
}

/** `a, b, c and 7 more` */
export function listOf(names: string[], max = 5): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Whether a label selector selects these labels (matchLabels and matchExpressions). */
export function selects(
  selector: V1LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  const { matchLabels = {}, matchExpressions = [] } = selector;
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) {
    return true; // an empty selector selects everything
  }
  for (const [k, v] of Object.entries(matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const e of matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Lists objects the informer cache does not hold (PVCs, quotas, PDBs, bindings, secrets,
 * EndpointSlices) with one GET of the apiserver as the portal; a non-2xx answer throws.
 */
export async function listFromApi<T>(
  ctx: CheckContext,
  cluster: string,
  path: string,
): Promise<T[]> {
  const res = await ctx.sources.kubernetes.get(cluster, path);
  if (res.status < 200 || res.status >= 300) {
    let message = res.text.trim();
    try {
      message = JSON.parse(res.text).message ?? message;
    } catch {
      // not a Status object
    }
    throw new ServiceUnavailableError(
      `Kubernetes API of cluster ${cluster} answered ${
        res.status
      } to GET ${path}: ${message.slice(0, 300)}`,
    );
  }
  return (JSON.parse(res.text) as { items?: T[] }).items ?? [];
}
