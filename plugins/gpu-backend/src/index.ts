/**
 * Kubemate GPU backend plugin (`/api/gpu`): GPU capacity, per-team Kueue queues and quotas, quota
 * requests with approvals and expiry, utilization and idle GPUs.
 *
 * @packageDocumentation
 */
export { gpuPlugin as default, gpuRbacModule } from './plugin';
