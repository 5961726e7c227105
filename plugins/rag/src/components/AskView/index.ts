export { AskView } from './AskView';
