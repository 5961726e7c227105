export { PassageDialog } from './PassageDialog';
