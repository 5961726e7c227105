export { WeightChart } from './WeightChart';
