export { EntityDocsQa } from './EntityDocsQa';
