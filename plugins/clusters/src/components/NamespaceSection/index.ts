export { NamespaceSection } from './NamespaceSection';
