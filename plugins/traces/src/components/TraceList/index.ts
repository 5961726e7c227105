export { TraceList } from './TraceList';
