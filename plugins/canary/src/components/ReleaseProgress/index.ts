export { ReleaseProgress, WeightBar } from './ReleaseProgress';
