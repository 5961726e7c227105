/*
 * Removes what one portal instance's Kubernetes RBAC sync created on the dev stack's clusters
 * (everything labelled rbac.kubemate.io/instance=<instance>, and its ServiceAccount namespace).
 */
import { DevStack } from '@kubemate/dev-stack';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';

export async function cleanUpRbacInstance(
  stack: DevStack,
  instance: string,
  serviceAccountNamespace: string,
) {
  const labelSelector = `rbac.kubemate.io/instance=${instance}`;
  for (const c of stack.clusters) {
    const kc = stack.kubeConfigFor(c.name, 'admin');
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    for (const rb of (
      await rbac.listRoleBindingForAllNamespaces({ labelSelector })
    ).items) {
      await rbac.deleteNamespacedRoleBinding({
        name: rb.metadata!.name!,
        namespace: rb.metadata!.namespace!,
      });
    }
    for (const r of (await rbac.listRoleForAllNamespaces({ labelSelector }))
      .items) {
      await rbac.deleteNamespacedRole({
        name: r.metadata!.name!,
        namespace: r.metadata!.namespace!,
      });
    }
    for (const r of (await rbac.listClusterRoleBinding({ labelSelector }))
      .items) {
      await rbac.deleteClusterRoleBinding({ name: r.metadata!.name! });
    }
    for (const r of (await rbac.listClusterRole({ labelSelector })).items) {
      await rbac.deleteClusterRole({ name: r.metadata!.name! });
    }
    await core
      .deleteNamespace({ name: serviceAccountNamespace })
      .catch(() => undefined);
  }
}
