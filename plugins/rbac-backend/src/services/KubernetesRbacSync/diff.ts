/*
 * The diff of the Kubernetes RBAC sync (pure): the steps from what a cluster has to what it
 * should have, telling drift (an object the sync had applied, deleted or edited by hand) from
 * change, and the bodies the applier writes.
 */
import { SyncChange, SyncObjectKind } from '@kubemate/plugin-rbac-common';
import { HASH_ANNOTATION, ROLE_LABEL } from './naming';
import { DesiredObject, hashOf, keyOf, ObservedObject } from './plan';

/** One step from what a cluster has to what it should have. */
export type SyncStep =
  | { op: 'keep'; desired: DesiredObject }
  | { op: 'create'; desired: DesiredObject; change: SyncChange }
  | {
      op: 'replace';
      desired: DesiredObject;
      observed: ObservedObject;
      change: SyncChange;
    }
  | { op: 'delete'; observed: ObservedObject; change: SyncChange };

export interface ClusterDiff {
  /** One step per desired object (in plan order), then the deletions (bindings first). */
  steps: SyncStep[];
  /** What is applied once every step succeeded: object key -> content hash. */
  applied: Map<string, string>;
}

/** Deletion order of leftovers: bindings first, then roles, accounts, namespace. */
const DELETE_ORDER: SyncObjectKind[] = [
  'RoleBinding',
  'ClusterRoleBinding',
  'Role',
  'ClusterRole',
  'ServiceAccount',
  'Namespace',
];

/**
 * Compares desired with observed objects. `previouslyApplied` (key -> hash of what the previous
 * run applied) tells drift from change: an object this sync had applied that is gone or differs
 * is `restored` (deleted / edited by hand); so is one whose applied-hash annotation matches what
 * is wanted. Leftover managed objects are deleted, except namespaces (never deleted, even ours).
 */
export function diffCluster(
  cluster: string,
  desired: DesiredObject[],
  observed: ObservedObject[],
  previouslyApplied: Map<string, string>,
): ClusterDiff {
  const actual = new Map(observed.map(a => [keyOf(a), a]));
  const applied = new Map<string, string>();
  const steps: SyncStep[] = [];
  for (const d of desired) {
    const key = keyOf(d);
    const hash = hashOf(d.content);
    const a = actual.get(key);
    actual.delete(key);
    const base = {
      cluster,
      kind: d.kind,
      namespace: d.namespace,
      name: d.name,
      role: d.role,
    };
    const wasApplied = previouslyApplied.get(key) === hash;
    applied.set(key, hash);
    if (!a) {
      steps.push({
        op: 'create',
        desired: d,
        change: wasApplied
          ? {
              ...base,
              change: 'restored',
              cause: 'deleted',
              detail: 'deleted by hand; re-created',
            }
          : { ...base, change: 'created' },
      });
    } else if (JSON.stringify(a.content) !== JSON.stringify(d.content)) {
      const ownHash = a.raw.metadata?.annotations?.[HASH_ANNOTATION];
      steps.push({
        op: 'replace',
        desired: d,
        observed: a,
        change:
          wasApplied || ownHash === hash
            ? {
                ...base,
                change: 'restored',
                cause: 'edited',
                detail: 'edited by hand; reverted',
              }
            : { ...base, change: 'updated' },
      });
    } else {
      steps.push({ op: 'keep', desired: d });
    }
  }
  const leftovers = [...actual.values()]
    .filter(o => o.kind !== 'Namespace')
    .sort(
      (x, y) => DELETE_ORDER.indexOf(x.kind) - DELETE_ORDER.indexOf(y.kind),
    );
  for (const o of leftovers) {
    steps.push({
      op: 'delete',
      observed: o,
      change: {
        cluster,
        kind: o.kind,
        namespace: o.namespace,
        name: o.name,
        role: o.raw.metadata?.labels?.[ROLE_LABEL],
        change: 'deleted',
      },
    });
  }
  return { steps, applied };
}

/** The body to create: the desired one, annotated with its content hash. */
export function createBody(d: DesiredObject) {
  return {
    ...d.body,
    metadata: {
      ...d.body.metadata,
      annotations: {
        ...d.body.metadata.annotations,
        [HASH_ANNOTATION]: hashOf(d.content),
      },
    },
  };
}

/** The metadata to replace with: the observed one, with our labels, annotations and hash. */
export function replaceMetadata(d: DesiredObject, observed: { raw: any }) {
  return {
    ...observed.raw.metadata,
    ...d.body.metadata,
    labels: { ...observed.raw.metadata?.labels, ...d.body.metadata.labels },
    annotations: {
      ...observed.raw.metadata?.annotations,
      ...d.body.metadata.annotations,
      [HASH_ANNOTATION]: hashOf(d.content),
    },
  };
}
