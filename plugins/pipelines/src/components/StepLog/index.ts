export { StepLog } from './StepLog';
