export { RequestsTab } from './RequestsTab';
export { RequestsTable, requestSummary, requestTestId } from './RequestsTable';
export { RequestStatusChip } from './StatusChip';
