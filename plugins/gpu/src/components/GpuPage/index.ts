export { GpuPage, TABS, tabIndexOf } from './GpuPage';
