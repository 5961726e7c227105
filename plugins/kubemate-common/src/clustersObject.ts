/**
 * Resource type of every permission on Kubernetes objects, whichever capability defines the
 * permission: a namespaced object (or a whole namespace) in one cluster. Resource refs look like
 * `dev-cluster/payments-dev/deployments/payments-api` (see {@link clustersObjectRef}). Its rules
 * (`IS_IN_NAMESPACE`, `IS_IN_CLUSTER`) live in `@kubemate/plugin-kubemate-node`, so a role scoped
 * to `payments-*` grants these permissions in those namespaces only.
 */
export const RESOURCE_TYPE_CLUSTERS_OBJECT = 'clusters-object';

/**
 * The plugin that registers the `clusters-object` resource type and its rules with the
 * permission framework (conditional decisions name it).
 */
export const CLUSTERS_OBJECT_PLUGIN_ID = 'clusters';

/** A namespaced object, or a namespace (`resource`/`name` omitted), as permission resource. */
export interface ClustersObject {
  cluster: string;
  namespace: string;
  resource?: string;
  name?: string;
}

/**
 * `dev-cluster/payments-dev/deployments/payments-api`, or the namespace `dev-cluster/payments-dev`
 * when the resource or the name is not known (e.g. a manifest about to be applied).
 */
export function clustersObjectRef(o: ClustersObject): string {
  const parts = o.resource && o.name ? [o.resource, o.name] : [];
  return [o.cluster, o.namespace, ...parts].join('/');
}

/** Inverse of {@link clustersObjectRef}; undefined for a malformed ref. */
export function parseClustersObjectRef(
  ref: string,
): ClustersObject | undefined {
  const parts = ref.split('/');
  if (parts.some(p => p === '')) return undefined;
  if (parts.length === 2) return { cluster: parts[0], namespace: parts[1] };
  if (parts.length === 4) {
    return {
      cluster: parts[0],
      namespace: parts[1],
      resource: parts[2],
      name: parts[3],
    };
  }
  return undefined;
}
