export { CompareTab } from './CompareTab';
