export { ExemptionsTab, OWN_REQUEST_REASON } from './ExemptionsTab';
