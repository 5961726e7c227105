import {
  Box,
  Chip,
  IconButton,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  DocumentInfo,
  DocumentStatus,
  formatBytes,
  ragCollectionResourceRef,
  ragDocumentDeletePermission,
  ragDocumentUploadPermission,
} from '@kubemate/plugin-rag-common';
import { RagT, useRagTranslation } from '../../hooks/useRagTranslation';
import { shortRef, useRagFormat } from '../../lib/format';

const STATUS_COLOURS: Record<DocumentStatus, string | undefined> = {
  queued: undefined,
  parsing: undefined,
  embedding: '#1565c0',
  ready: '#2e7d32',
  failed: '#c62828',
};

/** The chip's text: the state, with the chunks while embedding and once ready. */
export function statusLabel(doc: DocumentInfo, t: RagT): string {
  if (doc.status === 'embedding' && doc.chunksTotal !== undefined) {
    return t('documents.embeddingChunks', {
      done: String(doc.chunksDone),
      total: String(doc.chunksTotal),
    });
  }
  if (doc.status === 'ready' && doc.chunksTotal !== undefined) {
    return t('documents.readyChunks', { total: String(doc.chunksTotal) });
  }
  return t(`documents.status.${doc.status}`);
}

/** A document's ingestion state: a chip, the chunks' progress while embedding, the error when failed. */
export function DocumentStatusCell(props: { doc: DocumentInfo }) {
  const { doc } = props;
  const { t } = useRagTranslation();
  const colour = STATUS_COLOURS[doc.status];
  return (
    <Box minWidth={140}>
      <Chip
        size="small"
        label={statusLabel(doc, t)}
        style={colour ? { backgroundColor: colour, color: '#fff' } : undefined}
      />
      {(doc.status === 'embedding' || doc.status === 'parsing') && (
        <Box mt={0.5}>
          <LinearProgress
            variant={doc.chunksTotal ? 'determinate' : 'indeterminate'}
            value={
              doc.chunksTotal
                ? (100 * doc.chunksDone) / doc.chunksTotal
                : undefined
            }
          />
        </Box>
      )}
      {doc.status === 'failed' && doc.error && (
        <Typography variant="caption" color="error" component="div">
          {doc.error}
        </Typography>
      )}
    </Box>
  );
}

/**
 * A knowledge base's documents: name, format, size, status (chunks while embedding, the error
 * when failed), uploaded by / at, ingested at; Download, Re-index and Delete per document.
 */
export function DocumentsTable(props: {
  collection: string;
  documents: DocumentInfo[];
  onDownload: (doc: DocumentInfo) => void;
  onReindex: (doc: DocumentInfo) => void;
  onDelete: (doc: DocumentInfo) => void;
}) {
  const { collection, documents, onDownload, onReindex, onDelete } = props;
  const resourceRef = ragCollectionResourceRef(collection);
  const { t } = useRagTranslation();
  const f = useRagFormat();
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{t('documents.columns.document')}</TableCell>
          <TableCell>{t('documents.columns.format')}</TableCell>
          <TableCell align="right">{t('documents.columns.size')}</TableCell>
          <TableCell>{t('documents.columns.status')}</TableCell>
          <TableCell>{t('documents.columns.uploaded')}</TableCell>
          <TableCell>{t('documents.columns.ingested')}</TableCell>
          <TableCell align="right">{t('documents.columns.actions')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {documents.map(d => (
          <TableRow
            key={d.id}
            data-testid={`rag-document-${d.id}`}
            data-status={d.status}
          >
            <TableCell style={{ wordBreak: 'break-word' }}>
              {d.name}
              {d.source !== 'upload' && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  {t('documents.from', { source: d.source })}
                </Typography>
              )}
            </TableCell>
            <TableCell>{d.format}</TableCell>
            <TableCell align="right">{formatBytes(d.sizeBytes)}</TableCell>
            <TableCell>
              <DocumentStatusCell doc={d} />
            </TableCell>
            <TableCell>
              {shortRef(d.uploadedBy)}
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {f.time(d.uploadedAt)}
              </Typography>
            </TableCell>
            <TableCell>{f.time(d.ingestedAt)}</TableCell>
            <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
              <Tooltip title={t('documents.downloadTooltip')}>
                <IconButton
                  size="small"
                  aria-label={t('documents.downloadAria', { name: d.name })}
                  onClick={() => onDownload(d)}
                >
                  <GetAppIcon fontSize="small" />
                </IconButton>
              </Tooltip>
              <PermissionButton
                size="small"
                permission={ragDocumentUploadPermission}
                resourceRef={resourceRef}
                what={collection}
                onClick={() => onReindex(d)}
                data-testid={`rag-document-reindex-${d.id}`}
                aria-label={t('documents.reindexAria', { name: d.name })}
              >
                {t('documents.reindex')}
              </PermissionButton>
              <PermissionButton
                size="small"
                color="secondary"
                permission={ragDocumentDeletePermission}
                resourceRef={resourceRef}
                what={collection}
                onClick={() => onDelete(d)}
                data-testid={`rag-document-delete-${d.id}`}
                aria-label={t('documents.deleteAria', { name: d.name })}
              >
                {t('documents.delete')}
              </PermissionButton>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
