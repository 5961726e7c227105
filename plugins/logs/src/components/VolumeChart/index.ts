export { VolumeChart } from './VolumeChart';
