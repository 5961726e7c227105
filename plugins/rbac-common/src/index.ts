/**
 * RBAC administration: permissions, the role model, validation and scope matching shared by
 * the rbac frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './scope';
export * from './validation';
