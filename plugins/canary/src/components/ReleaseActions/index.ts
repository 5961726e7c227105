export { ReleaseActions } from './ReleaseActions';
