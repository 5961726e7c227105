export { RunStatusLabel } from './RunStatusLabel';
