export { CitationList } from './CitationList';
