export { RunNowDialog, RunNowButton, parseNamespaces } from './RunNowDialog';
