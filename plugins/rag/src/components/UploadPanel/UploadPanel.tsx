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
import { chunkProgress } from '../DocumentsTable';

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

function ingestingText(status?: string, chunks?: string): string {
  if (status === 'embedding' && chunks) return `Embedding ${chunks}`;
  if (status === 'parsing') return 'Parsing';
  return 'Queued for ingestion';
}

/** What an upload row says, and its bar: % while sending, chunks while ingesting. */
export function uploadView(
  row: UploadRow,
  doc?: DocumentInfo,
): { state: UploadState; text: string; percent?: number } {
  const size = row.file.size;
  switch (row.state) {
    case 'queued':
      return { state: 'queued', text: 'Waiting', percent: 0 };
    case 'uploading': {
      const percent = size
        ? Math.min(100, Math.round((100 * row.sent) / size))
        : 0;
      return { state: 'uploading', text: `Uploading ${percent} %`, percent };
    }
    case 'ingesting': {
      const d = doc ?? row.document;
      const chunks = d && chunkProgress(d);
      const percent = d?.chunksTotal
        ? Math.round((100 * d.chunksDone) / d.chunksTotal)
        : undefined;
      return {
        state: 'ingesting',
        text: ingestingText(d?.status, chunks),
        percent,
      };
    }
    case 'ready': {
      const d = doc ?? row.document;
      return {
        state: 'ready',
        text:
          d?.chunksTotal !== undefined
            ? `Ready · ${d.chunksTotal} chunks`
            : 'Ready',
        percent: 100,
      };
    }
    default:
      return { state: 'failed', text: row.error ?? 'Failed' };
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
          aria-label="Files to upload"
          onChange={e => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = ''; // the same file can be picked again
            if (files.length) onFiles(files);
          }}
        />
        <Typography variant="body2" color="textSecondary" gutterBottom>
          Drop Markdown, HTML, text or PDF files here
          {props.maxUploadBytes
            ? ` (at most ${formatBytes(props.maxUploadBytes)} each)`
            : ''}
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
          Upload files
        </PermissionButton>
      </div>
      {rows.length > 0 && (
        <Box mt={1}>
          {rows.map(row => {
            const view = uploadView(
              row,
              row.document ? documentOf(row.document.id) : undefined,
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
                      aria-label={`${row.file.name}: ${view.text}`}
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
                      aria-label={`Cancel ${row.file.name}`}
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
              Clear finished
            </Button>
          )}
        </Box>
      )}
    </Box>
  );
}
