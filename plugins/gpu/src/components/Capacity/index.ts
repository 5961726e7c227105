export { Capacity } from './Capacity';
