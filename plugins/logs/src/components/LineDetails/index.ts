export { LineDetails } from './LineDetails';
