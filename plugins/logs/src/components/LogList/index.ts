export { LogList, OVERSCAN, ROW_HEIGHT } from './LogList';
