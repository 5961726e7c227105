export {
  CollectionDialog,
  nameProblem,
  nameProblemText,
} from './CollectionDialog';
export type { NameProblem } from './CollectionDialog';
