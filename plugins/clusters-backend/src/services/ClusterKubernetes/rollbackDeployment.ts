import { NotFoundError } from '@backstage/errors';
import {
  MutationResponse,
  WorkloadTarget,
} from '@kubemate/plugin-clusters-common';
import { KubeClients } from '@kubemate/plugin-kubemate-node';
import { KubernetesObject, V1ReplicaSet } from '@kubernetes/client-node';
import { REVISION_ANNOTATION } from '../ClusterOps/workloadGrouping';

/**
 * The ReplicaSet whose template a rollback restores: the requested revision, or the newest one
 * older than the current revision when none is requested.
 */
export function pickRollbackRevision(
  deployment: KubernetesObject,
  replicasets: V1ReplicaSet[],
  revision: number | undefined,
): { rs: V1ReplicaSet; revision: number } | undefined {
  const owned = replicasets
    .filter(rs =>
      rs.metadata?.ownerReferences?.some(
        o => o.controller && o.uid === deployment.metadata?.uid,
      ),
    )
    .map(rs => ({
      rs,
      revision: Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0'),
    }));
  const currentRevision = Number(
    deployment.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0',
  );
  return revision && revision > 0
    ? owned.find(o => o.revision === revision)
    : owned
        .filter(o => o.revision < currentRevision)
        .sort((a, b) => b.revision - a.revision)[0];
}

/**
 * Rolls a Deployment (already read as the portal and checked to belong to the entity) back to
 * the pod template of an earlier revision: the ReplicaSets are listed as the portal, the
 * Deployment is read and replaced as the user (Kubernetes RBAC applies).
 */
export async function rollbackDeployment(
  clients: { portal: KubeClients; user: KubeClients },
  deployment: KubernetesObject,
  target: WorkloadTarget,
  revision: number | undefined,
): Promise<MutationResponse> {
  const kind = 'Deployment';
  const { items } = await clients.portal.apps.listNamespacedReplicaSet({
    namespace: target.namespace,
  });
  const currentRevision = Number(
    deployment.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0',
  );
  const wanted = pickRollbackRevision(deployment, items, revision);
  if (!wanted) {
    throw new NotFoundError(
      revision
        ? `Revision ${revision} of Deployment ${target.namespace}/${target.name} not found`
        : `Deployment ${target.namespace}/${target.name} has no previous revision`,
    );
  }
  if (wanted.revision === currentRevision) {
    return {
      ...target,
      kind,
      message: `skipped rollback: revision ${wanted.revision} is already current`,
    };
  }
  // read as the user (RBAC), restore the template and replace; the deployment controller
  // updates the object concurrently, so retry on conflicts like kubectl does
  for (let attempt = 1; ; attempt++) {
    const mine = await clients.user.apps.readNamespacedDeployment({
      name: target.name,
      namespace: target.namespace,
    });
    const template = wanted.rs.spec!.template!;
    const labels = { ...(template.metadata?.labels ?? {}) };
    delete labels['pod-template-hash'];
    mine.spec!.template = {
      ...template,
      metadata: { ...template.metadata, labels },
    };
    try {
      await clients.user.apps.replaceNamespacedDeployment({
        name: target.name,
        namespace: target.namespace,
        body: mine,
      });
      break;
    } catch (e) {
      if ((e as { code?: number }).code !== 409 || attempt >= 5) {
        throw e;
      }
    }
  }
  return {
    ...target,
    kind,
    message: `rolled Deployment ${target.namespace}/${target.name} back from revision ${currentRevision} to the template of revision ${wanted.revision}`,
  };
}
