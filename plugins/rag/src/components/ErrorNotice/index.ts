export { ErrorNotice, errorTitle } from './ErrorNotice';
