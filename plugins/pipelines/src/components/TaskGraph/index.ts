export { taskLevels, TaskGraph } from './TaskGraph';
