export { ChecksTable } from './ChecksTable';
