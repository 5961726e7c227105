export {
  DocumentsTable,
  DocumentStatusCell,
  statusLabel,
} from './DocumentsTable';
