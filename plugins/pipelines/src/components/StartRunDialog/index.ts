export { StartRunDialog } from './StartRunDialog';
