export { KnowledgePage, tabIndexOf } from './KnowledgePage';
