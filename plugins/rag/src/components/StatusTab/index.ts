export { StatusTab } from './StatusTab';
