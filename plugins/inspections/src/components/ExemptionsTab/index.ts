export { ExemptionsTab } from './ExemptionsTab';
