export { QueryBuilder } from './QueryBuilder';
