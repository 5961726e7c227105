export { TraceSearchForm } from './TraceSearchForm';
