export { PendingReason } from './PendingReason';
