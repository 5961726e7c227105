/*
 * Names, labels and rules of the objects the Kubernetes RBAC sync manages (pure).
 */
import { parseEntityRef } from '@backstage/catalog-model';
import { KubernetesPolicyRule } from '@kubemate/plugin-kubemate-common';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kubemate-rbac';
export const ROLE_LABEL = 'rbac.kubemate.io/role';
export const INSTANCE_LABEL = 'rbac.kubemate.io/instance';
export const HASH_ANNOTATION = 'rbac.kubemate.io/applied-hash';
export const USER_ANNOTATION = 'rbac.kubemate.io/user';
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Kubernetes object name of a role's Role/ClusterRole and its binding: `<instance>:<role>`. */
export const kubernetesRoleName = (role: string, instance = 'kubemate') =>
  `${instance}:${role}`;

/** ServiceAccount name of a user: `user:default/alice` -> `alice`, else `<ns>--<name>`. */
export function serviceAccountName(userRef: string): string {
  const { namespace, name } = parseEntityRef(userRef);
  const raw = namespace === 'default' ? name : `${namespace}--${name}`;
  return raw
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253);
}

/** The Kubernetes rules of a set of platform permissions, merged and sorted (stable hashes). */
export function kubernetesRulesFor(
  permissions: string[],
  table: Record<string, KubernetesPolicyRule[]>,
): KubernetesPolicyRule[] {
  const names = permissions.includes('*') ? Object.keys(table) : permissions;
  const merged = new Map<
    string,
    { apiGroups: string[]; resources: string[]; verbs: Set<string> }
  >();
  for (const name of names) {
    for (const rule of table[name] ?? []) {
      for (const group of rule.apiGroups) {
        for (const resource of rule.resources) {
          const key = `${group}|${resource}`;
          const entry = merged.get(key) ?? {
            apiGroups: [group],
            resources: [resource],
            verbs: new Set<string>(),
          };
          rule.verbs.forEach(v => entry.verbs.add(v));
          merged.set(key, entry);
        }
      }
    }
  }
  // one rule per (group, verbs) with its resources
  const byVerbs = new Map<string, KubernetesPolicyRule>();
  for (const e of [...merged.values()].sort((a, b) =>
    `${a.apiGroups[0]}|${a.resources[0]}`.localeCompare(
      `${b.apiGroups[0]}|${b.resources[0]}`,
    ),
  )) {
    const verbs = [...e.verbs].sort();
    const key = `${e.apiGroups[0]}|${verbs.join(',')}`;
    const rule = byVerbs.get(key) ?? {
      apiGroups: e.apiGroups,
      resources: [],
      verbs,
    };
    rule.resources.push(...e.resources);
    byVerbs.set(key, rule);
  }
  return [...byVerbs.values()];
}

/** The labels of every managed object (with the role's for Roles and bindings). */
export function labelsOf(instance: string, role?: string) {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [INSTANCE_LABEL]: instance,
    ...(role ? { [ROLE_LABEL]: role } : {}),
  };
}

/** The label selector of this instance's managed objects. */
export const managedSelector = (instance: string) =>
  `${MANAGED_BY_LABEL}=${MANAGED_BY},${INSTANCE_LABEL}=${instance}`;
