export { Loaded } from './Loaded';
export { SourceErrors } from './SourceErrors';
