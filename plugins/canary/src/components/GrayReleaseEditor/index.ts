export { GrayReleaseEditor } from './GrayReleaseEditor';
