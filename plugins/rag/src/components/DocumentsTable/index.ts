export {
  DocumentsTable,
  DocumentStatusCell,
  chunkProgress,
} from './DocumentsTable';
