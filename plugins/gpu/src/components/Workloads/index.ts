export { WorkloadsTable, workloadTestId } from './WorkloadsTable';
export { QueueTab, queueOrder } from './QueueTab';
export { StateChip, WORKLOAD_STATES } from './StateChip';
