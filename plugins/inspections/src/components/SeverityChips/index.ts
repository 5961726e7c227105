export { SeverityChips, SeverityLabel, countBySeverity } from './SeverityChips';
