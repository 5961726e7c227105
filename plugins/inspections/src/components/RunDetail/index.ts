export { RunDetail } from './RunDetail';
