export { ActionButton } from './ActionButton';
