export { PipelinesCard } from './PipelinesCard';
