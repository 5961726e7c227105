export { lanesOf, EnvironmentLanes } from './EnvironmentLanes';
