/**
 * RBAC administration: permissions, the role model, and validation shared by
 * the rbac frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './validation';
