export {
  POLL_MS,
  useCapacity,
  useQueues,
  useWorkloads,
  useUtilization,
  useIdleGpus,
  useQuotaRequests,
  useEntityGpu,
} from './useGpuData';
export { useAnyPermission } from './useAnyPermission';
