import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  ClustersObject,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
  parseClustersObjectRef,
} from '@kubemate/plugin-clusters-common';
import { namespaceInScope } from '@kubemate/plugin-rbac-common';
import { z } from 'zod';

/** Query form of the rules (not used for database filtering: objects come from the cache). */
export type ClustersObjectFilter = {
  namespaces?: string[];
  clusters?: string[];
};

export const clustersObjectResourceRef = createPermissionResourceRef<
  ClustersObject,
  ClustersObjectFilter
>().with({ pluginId: 'clusters', resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT });

/** The object lives in one of the namespaces (exact names or `prefix-*` patterns). */
export const isInNamespace = createPermissionRule({
  resourceRef: clustersObjectResourceRef,
  name: 'IS_IN_NAMESPACE',
  description:
    'Allow when the Kubernetes object is in one of the namespaces (exact names, or prefix patterns like payments-*)',
  paramsSchema: z.object({
    namespaces: z
      .array(z.string())
      .describe('Namespace names or prefix patterns ending in *'),
  }),
  apply: (object, { namespaces }) =>
    namespaceInScope(namespaces, object.namespace),
  toQuery: ({ namespaces }) => ({ namespaces }),
});

/** The object lives in one of the clusters. */
export const isInCluster = createPermissionRule({
  resourceRef: clustersObjectResourceRef,
  name: 'IS_IN_CLUSTER',
  description: 'Allow when the Kubernetes object is in one of the clusters',
  paramsSchema: z.object({
    clusters: z.array(z.string()).describe('Cluster names'),
  }),
  apply: (object, { clusters }) => clusters.includes(object.cluster),
  toQuery: ({ clusters }) => ({ clusters }),
});

export const clustersObjectRules = [isInNamespace, isInCluster];

/** Resolves resource refs for conditional decisions made elsewhere (permission backend). */
export async function getClustersObjects(
  refs: string[],
): Promise<Array<ClustersObject | undefined>> {
  return refs.map(parseClustersObjectRef);
}


