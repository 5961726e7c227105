/**
 * Kubemate canary backend plugin (`/api/canary`): Flagger canaries, A/B and gray releases.
 *
 * @packageDocumentation
 */
export { canaryPlugin as default, canaryRbacModule } from './plugin';
