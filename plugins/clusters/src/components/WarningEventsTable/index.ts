export { WarningEventsTable } from './WarningEventsTable';
