export { ServiceGraph } from './ServiceGraph';
