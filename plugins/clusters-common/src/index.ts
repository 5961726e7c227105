/**
 * Common code of the Kubemate cluster ops plugins: permissions, annotation helpers and the
 * response types of the clusters backend.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './annotations';
export * from './types';
