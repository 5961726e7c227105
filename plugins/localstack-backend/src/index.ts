/**
 * Kubemate local stack backend (`/api/localstack`): the dev stack's servers from its progress
 * file and the tail of each server's log, for the Local stack page. Read-only.
 *
 * @packageDocumentation
 */
export { localstackPlugin as default, localstackRbacModule } from './plugin';
