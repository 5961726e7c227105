export {
  EventArchive,
  archivedEventOf,
  EVENT_ARCHIVE_DAYS,
  EVENT_ARCHIVE_TASK_ID,
} from './EventArchive';
