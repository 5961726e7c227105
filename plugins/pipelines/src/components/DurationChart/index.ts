export { durationRows, DurationChart } from './DurationChart';
