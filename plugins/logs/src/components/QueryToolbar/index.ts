export { QueryToolbar } from './QueryToolbar';
