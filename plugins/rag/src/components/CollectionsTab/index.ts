export { CollectionsTab } from './CollectionsTab';
