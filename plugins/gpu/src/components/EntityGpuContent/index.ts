export { EntityGpuContent } from './EntityGpuContent';
