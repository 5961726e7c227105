export { TracesContent, parseTags } from './TracesContent';
