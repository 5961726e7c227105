import {
  createConditionExports,
  createConditionTransformer,
  createPermissionResourceRef,
  createPermissionRule,
  PermissionRule,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  CLUSTERS_OBJECT_PLUGIN_ID,
  ClustersObject,
  namespaceInScope,
  parseClustersObjectRef,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';
import { z } from 'zod';

/**
 * Query form of the `clusters-object` rules. Objects come from the watch cache or the
 * apiserver, not a database: callers read it as a namespace scope (see `scopeFromDecision`).
 */
export type ClustersObjectFilter = {
  namespaces?: string[];
  clusters?: string[];
};

/** The `clusters-object` resource: registered by the clusters backend, used by every capability. */
export const clustersObjectResourceRef = createPermissionResourceRef<
  ClustersObject,
  ClustersObjectFilter
>().with({
  pluginId: CLUSTERS_OBJECT_PLUGIN_ID,
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

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

/** Every rule of the `clusters-object` resource type. */
export const clustersObjectRules = [isInNamespace, isInCluster];

/**
 * Conditions and conditional decisions on `clusters-object` permissions, for policies:
 * `clustersObjectConditions.isInNamespace({ namespaces: ['payments-*'] })`.
 */
const clustersObjectConditionExports = createConditionExports({
  resourceRef: clustersObjectResourceRef,
  rules: { isInNamespace, isInCluster },
});

export const clustersObjectConditions =
  clustersObjectConditionExports.conditions;

export const createClustersObjectConditionalDecision =
  clustersObjectConditionExports.createConditionalDecision;

/** Resolves resource refs for conditional decisions made elsewhere (permission backend). */
export async function getClustersObjects(
  refs: string[],
): Promise<Array<ClustersObject | undefined>> {
  return refs.map(parseClustersObjectRef);
}

/** The rules as a ruleset, for the condition transformer (no registry needed: they are fixed). */
export const clustersObjectRuleset: PermissionRuleset<
  ClustersObject,
  ClustersObjectFilter,
  typeof RESOURCE_TYPE_CLUSTERS_OBJECT
> = {
  getRuleByName(name: string) {
    const rule = clustersObjectRules.find(r => r.name === name);
    if (!rule) {
      throw new Error(`unknown ${RESOURCE_TYPE_CLUSTERS_OBJECT} rule ${name}`);
    }
    return rule as PermissionRule<
      ClustersObject,
      ClustersObjectFilter,
      typeof RESOURCE_TYPE_CLUSTERS_OBJECT
    >;
  },
};

/** Conditions on `clusters-object` → the same criteria over {@link ClustersObjectFilter}s. */
export const transformClustersObjectConditions =
  createConditionTransformer<ClustersObjectFilter>(clustersObjectRuleset);
