export { CollectionDialog, nameProblem, NAME_RULE } from './CollectionDialog';
