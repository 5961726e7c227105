export { LogDialog, LOG_LINES } from './LogDialog';
