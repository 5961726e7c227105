export { LogsContent, TAIL_KEEP } from './LogsContent';
