export { CollectionPicker } from './CollectionPicker';
