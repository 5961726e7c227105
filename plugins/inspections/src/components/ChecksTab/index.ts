export { ChecksTab, formatThresholds } from './ChecksTab';
