export { UtilizationChart, DemoChip, toRows } from './UtilizationChart';
export { UtilizationTab, RANGES } from './UtilizationTab';
