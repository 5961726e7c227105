export { LogList, ROW_HEIGHT } from './LogList';
