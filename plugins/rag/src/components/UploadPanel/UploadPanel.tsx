import { DragEvent, useRef, useState } from 'react';
import {
  Box,
  Button,
  IconButton,
  LinearProgress,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import {
  PermissionButton,
  useErrorMessage,
  usePermissionGate,
} from '@kubemate/plugin-kubemate-react';
import {
  DocumentInfo,
  formatBytes,
  ragCollectionResourceRef,
  ragDocumentUploadPermission,
  RAG_UPLOAD_EXTENSIONS,
} from '@kubemate/plugin-rag-common';
import type { UploadRow, UploadState } from '../../hooks';
import { RagT, useRagTranslation } from '../../hooks/useRagTranslation';

/** The file input's `accept`. */
export const ACCEPT = Object.keys(RAG_UPLOAD_EXTENSIONS).join(',');

const useStyles = makeStyles(theme => ({
  zone: {
    border: `2px dashed ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(2),
    textAlign: 'center',
    transition: 'border-color 120ms, background-color 120ms',
  },
  over: {
    borderColor: theme.palette.primary.main,
    backgroundColor: theme.palette.action.hover,
  },
  disabled: { opacity: 0.6 },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, 2fr) 3fr auto',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
  },
  name: { wordBreak: 'break-word' },
}));

function ingestingText(t: RagT, d?: DocumentInfo): string {
  if (d?.status === 'embedding' && d.chunksTotal !== undefined) {
    return t('upload.embedding', {
      done: String(d.chunksDone),
      total: String(d.chunksTotal),
    });
  }
  if (d?.status === 'parsing') return t('upload.parsing');
  return t('upload.queuedForIngestion');
}

/** Why an upload failed, in the user's language (the backend's text when it has no code). */
function failedText(
  t: RagT,
  row: UploadRow,
  errorMessage: (e: unknown) => string,
): string {
  const p = row.problem;
  switch (p?.kind) {
    case 'unsupported':
      return t('upload.unsupported', { name: p.name });
    case 'empty':
      return t('upload.empty', { name: p.name });
    case 'tooLarge':
      return t('upload.tooLarge', {
        name: p.name,
        size: formatBytes(p.size),
        limit: formatBytes(p.limit),
      });
    case 'cancelled':
      return t('upload.cancelled');
    default:
      if (row.cause !== undefined) return errorMessage(row.cause);
      return row.error ?? t('upload.failed');
  }
}

/** What an upload row says, and its bar: % while sending, chunks while ingesting. */
export function uploadView(
  row: UploadRow,
  doc: DocumentInfo | undefined,
  t: RagT,
  errorMessage: (e: unknown) => string = e => (e as Error).message,
): { state: UploadState; text: string; percent?: number } {
  const size = row.file.size;
  switch (row.state) {
    case 'queued':
      return { state: 'queued', text: t('upload.waiting'), percent: 0 };
    case 'uploading': {
      const percent = size
        ? Math.min(100, Math.round((100 * row.sent) / size))
        : 0;
      return {
        state: 'uploading',
        text: t('upload.uploading', { percent: String(percent) }),
        percent,
      };
    }
    case 'ingesting': {
      const d = doc ?? row.document;
      const percent = d?.chunksTotal
        ? Math.round((100 * d.chunksDone) / d.chunksTotal)
        : undefined;
      return {
        state: 'ingesting',
        text: ingestingText(t, d),
        percent,
      };
    }
    case 'ready': {
      const d = doc ?? row.document;
      return {
        state: 'ready',
        text:
          d?.chunksTotal !== undefined
            ? t('upload.readyChunks', { n: String(d.chunksTotal) })
            : t('upload.ready'),
        percent: 100,
      };
    }
    default:
      return { state: 'failed', text: failedText(t, row, errorMessage) };
  }
}

/**
 * Upload: a drop zone and a file picker (several files; Markdown, HTML, text, PDF), a progress bar
 * per file (upload %, then the ingested chunks) ending ready or failed with the reason.
 */
export function UploadPanel(props: {
  collection: string;
  rows: UploadRow[];
  documentOf: (id: string) => DocumentInfo | undefined;
  maxUploadBytes?: number;
  onFiles: (files: File[]) => void;
  onCancel: (key: number) => void;
  onClear: () => void;
}) {
  const { collection, rows, documentOf, onFiles, onCancel } = props;
  const classes = useStyles();
  const { t } = useRagTranslation();
  const errorMessage = useErrorMessage();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const gate = usePermissionGate({
    permission: ragDocumentUploadPermission,
    resourceRef: ragCollectionResourceRef(collection),
    what: collection,
  });

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!gate.allowed) return;
    const files = Array.from(e.dataTransfer.files ?? []);
    if (files.length) onFiles(files);
  };

  return (
    <Box>
      <div
        className={`${classes.zone} ${over ? classes.over : ''} ${
          gate.allowed ? '' : classes.disabled
        }`}
        onDragOver={e => {
          e.preventDefault();
          if (gate.allowed) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="rag-upload-dropzone"
      >
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          disabled={!gate.allowed}
          data-testid="rag-upload-input"
          aria-label={t('upload.filesAria')}
          onChange={e => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = ''; // the same file can be picked again
            if (files.length) onFiles(files);
          }}
        />
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {props.maxUploadBytes
            ? t('upload.dropWithLimit', {
                size: formatBytes(props.maxUploadBytes),
              })
            : t('upload.drop')}
        </Typography>
        <PermissionButton
          variant="outlined"
          color="primary"
          startIcon={<CloudUploadIcon />}
          permission={ragDocumentUploadPermission}
          resourceRef={ragCollectionResourceRef(collection)}
          what={collection}
          onClick={() => input.current?.click()}
          data-testid="rag-upload"
        >
          {t('upload.uploadFiles')}
        </PermissionButton>
      </div>
      {rows.length > 0 && (
        <Box mt={1}>
          {rows.map(row => {
            const view = uploadView(
              row,
              row.document ? documentOf(row.document.id) : undefined,
              t,
              errorMessage,
            );
            return (
              <div
                key={row.key}
                className={classes.row}
                data-testid={`rag-upload-progress-${row.file.name}`}
                data-state={view.state}
              >
                <Typography variant="body2" className={classes.name}>
                  {row.file.name}{' '}
                  <Typography
                    component="span"
                    variant="caption"
                    color="textSecondary"
                  >
                    {formatBytes(row.file.size)}
                  </Typography>
                </Typography>
                <Box>
                  {view.state !== 'failed' && (
                    <LinearProgress
                      variant={
                        view.percent === undefined
                          ? 'indeterminate'
                          : 'determinate'
                      }
                      value={view.percent}
                      color={view.state === 'ready' ? 'primary' : 'secondary'}
                      aria-label={t('upload.progressAria', {
                        name: row.file.name,
                        state: view.text,
                      })}
                    />
                  )}
                  <Typography
                    variant="caption"
                    color={view.state === 'failed' ? 'error' : 'textSecondary'}
                  >
                    {view.text}
                  </Typography>
                </Box>
                <Box>
                  {(view.state === 'queued' || view.state === 'uploading') && (
                    <IconButton
                      size="small"
                      aria-label={t('upload.cancelAria', {
                        name: row.file.name,
                      })}
                      onClick={() => onCancel(row.key)}
                    >
                      <CloseIcon fontSize="small" />
                    </IconButton>
                  )}
                </Box>
              </div>
            );
          })}
          {rows.some(r => r.state === 'ready' || r.state === 'failed') && (
            <Button size="small" onClick={props.onClear}>
              {t('upload.clearFinished')}
            </Button>
          )}
        </Box>
      )}
    </Box>
  );
}
