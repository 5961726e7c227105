export { LogsDrawer } from './LogsDrawer';
