export { UploadPanel, uploadView, ACCEPT } from './UploadPanel';
