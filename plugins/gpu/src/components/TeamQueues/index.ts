export { TeamQueues, TeamQueueCard } from './TeamQueues';
