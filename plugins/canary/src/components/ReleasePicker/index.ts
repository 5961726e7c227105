export { ReleasePicker } from './ReleasePicker';
