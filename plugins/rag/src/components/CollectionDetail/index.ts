export { CollectionDetail } from './CollectionDetail';
