/**
 * The Kubemate base every capability builds on: the `clusters-object` permission resource and its
 * refs, the entity annotations and selectors, namespace patterns, the audit record and the types a
 * capability uses to contribute its permissions to RBAC administration. Capability packages depend
 * on this base, never on each other.
 *
 * @packageDocumentation
 */
export * from './clustersObject';
export * from './annotations';
export * from './namespaces';
export * from './audit';
export * from './rbac';
export * from './teamOwned';
export * from './devStack';
