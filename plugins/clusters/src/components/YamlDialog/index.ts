export { YamlDialog } from './YamlDialog';
