export { LocalStackPage } from './LocalStackPage';
