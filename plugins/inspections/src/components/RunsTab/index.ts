export { RunsTab, compareOrder } from './RunsTab';
