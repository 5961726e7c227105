import { ReactNode, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
} from '@backstage/core-components';
import { Box, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  Collection,
  DocumentInfo,
  formatBytes,
  ragCollectionDeletePermission,
  ragCollectionResourceRef,
  ragCollectionUpdatePermission,
} from '@kubemate/plugin-rag-common';
import { ragApiRef } from '../../api';
import {
  isFinal,
  useCollection,
  useDocuments,
  useIngestion,
  useStatus,
  useUploads,
} from '../../hooks';
import { withProgress } from '../../hooks/useIngestion';
import { saveBlob } from '../../lib/download';
import { entityLink, formatTime, shortRef } from '../../lib/format';
import { useRagPaths } from '../../lib/paths';
import { CollectionDialog } from '../CollectionDialog';
import { ConfirmDialog } from '../ConfirmDialog';
import { DocumentsTable } from '../DocumentsTable';
import { ErrorNotice } from '../ErrorNotice';
import { UploadPanel } from '../UploadPanel';

function RefLinks(props: { refs: string[] }) {
  if (props.refs.length === 0) return <>—</>;
  return (
    <>
      {props.refs.map((r, i) => (
        <span key={r}>
          {i > 0 && ', '}
          <Link to={entityLink(r) ?? '#'}>{shortRef(r)}</Link>
        </span>
      ))}
    </>
  );
}

function About(props: { c: Collection }) {
  const { c } = props;
  const row = (label: string, value: ReactNode) => (
    <Box display="flex" style={{ gap: 8 }} mb={0.5}>
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ minWidth: 120 }}
      >
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {value}
      </Typography>
    </Box>
  );
  return (
    <>
      {c.description && (
        <Typography variant="body1" paragraph>
          {c.description}
        </Typography>
      )}
      {row('Name', c.name)}
      {row('Owner team', <RefLinks refs={[c.ownerRef]} />)}
      {row('Shared with', <RefLinks refs={c.sharedWith} />)}
      {row('Linked entities', <RefLinks refs={c.entityRefs} />)}
      {row(
        'Content',
        `${c.stats.documents} documents · ${
          c.stats.chunks
        } chunks · ${formatBytes(c.stats.bytes)}`,
      )}
      {row('Embeddings', c.embeddingModel)}
      {row('Created', `${formatTime(c.createdAt)} by ${shortRef(c.createdBy)}`)}
      {row('Updated', formatTime(c.updatedAt))}
    </>
  );
}

type Confirm =
  | { kind: 'delete-document'; doc: DocumentInfo }
  | { kind: 'reindex-all' }
  | { kind: 'delete-collection' };

/**
 * A knowledge base: about it, Upload with a progress bar per file, its documents with their
 * ingestion state followed live, Re-index / Delete per document, Re-index all, Edit, Delete.
 */
export function CollectionDetail() {
  const { name = '' } = useParams();
  const api = useApi(ragApiRef);
  const paths = useRagPaths();
  const navigate = useNavigate();
  const collection = useCollection(name);
  const documents = useDocuments(name);
  const status = useStatus();
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<Confirm>();
  const [actionError, setActionError] = useState<string>();

  const reloadDocuments = documents.retry;
  const reloadCollection = collection.retry;
  const uploads = useUploads(name, {
    maxUploadBytes: status.value?.limits.maxUploadBytes,
    onUploaded: () => {
      reloadDocuments();
      reloadCollection();
    },
  });

  // the event stream is open while something is being ingested here
  const active =
    uploads.rows.some(r => r.state !== 'ready' && r.state !== 'failed') ||
    Boolean(documents.value?.some(d => !isFinal(d.status)));
  const ingestion = useIngestion(name, active, () => {
    reloadDocuments();
    reloadCollection();
  });
  const { forget, progress } = ingestion;

  // the list caught up with the final states the events told
  useEffect(() => {
    if (documents.value) forget(documents.value);
  }, [documents.value, forget]);

  const shown = useMemo(
    () => (documents.value ?? []).map(d => withProgress(d, progress[d.id])),
    [documents.value, progress],
  );
  const byId = useMemo(() => new Map(shown.map(d => [d.id, d])), [shown]);

  // an upload's ingestion ends with its document's
  const { settle } = uploads;
  useEffect(() => {
    for (const row of uploads.rows) {
      const id = row.document?.id;
      if (row.state !== 'ingesting' || !id) continue;
      const d = byId.get(id);
      const e = progress[id];
      const state = e?.status ?? d?.status;
      if (state === 'ready' || state === 'failed') {
        settle(id, state, e?.error ?? d?.error);
      }
    }
  }, [uploads.rows, byId, progress, settle]);

  if (collection.loading && !collection.value) return <Progress />;
  if (collection.error && !collection.value) {
    return (
      <ErrorNotice
        error={collection.error}
        what={`open the knowledge base ${name}`}
        onRetry={collection.retry}
      >
        <div>
          <Link to={paths.collections}>All knowledge bases</Link>
        </div>
      </ErrorNotice>
    );
  }
  const c = collection.value!;
  const resourceRef = ragCollectionResourceRef(name);

  const run = async (what: string, fn: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await fn();
    } catch (e) {
      setActionError(`${what} failed: ${(e as Error).message}`);
    }
  };
  const download = (doc: DocumentInfo) =>
    run(`Downloading ${doc.name}`, async () =>
      saveBlob(await api.downloadOriginal(name, doc.id), doc.name),
    );
  const reindex = (doc: DocumentInfo) =>
    run(`Re-indexing ${doc.name}`, async () => {
      await api.reindexDocument(name, doc.id);
      if (documents.value) forget(documents.value, [doc.id]);
      reloadDocuments();
      reloadCollection();
    });

  const onConfirm = async () => {
    if (!confirm) return;
    if (confirm.kind === 'delete-document') {
      await api.deleteDocument(name, confirm.doc.id);
      reloadDocuments();
      reloadCollection();
    } else if (confirm.kind === 'reindex-all') {
      await api.reindexCollection(name);
      if (documents.value) {
        forget(
          documents.value,
          documents.value.map(d => d.id),
        );
      }
      reloadDocuments();
      reloadCollection();
    } else {
      await api.deleteCollection(name);
      navigate(paths.collections);
      return;
    }
    setConfirm(undefined);
  };

  let docsBody;
  if (documents.loading && !documents.value) docsBody = <Progress />;
  else if (documents.error && !documents.value)
    docsBody = (
      <ErrorNotice
        error={documents.error}
        what="read the documents"
        onRetry={documents.retry}
      />
    );
  else if (shown.length === 0)
    docsBody = (
      <EmptyState
        missing="content"
        title="No documents yet"
        description="Upload Markdown, HTML, text or PDF files: they are split into passages and embedded, then questions are answered from them."
      />
    );
  else
    docsBody = (
      <DocumentsTable
        collection={name}
        documents={shown}
        onDownload={download}
        onReindex={reindex}
        onDelete={doc => setConfirm({ kind: 'delete-document', doc })}
      />
    );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography variant="h5" style={{ flexGrow: 1 }}>
            <Link to={paths.collections}>Knowledge bases</Link> /{' '}
            {c.title || c.name}
          </Typography>
          <PermissionButton
            variant="outlined"
            permission={ragCollectionUpdatePermission}
            resourceRef={resourceRef}
            what={name}
            disabled={c.stats.documents === 0}
            disabledReason="No documents to re-index"
            onClick={() => setConfirm({ kind: 'reindex-all' })}
            data-testid="rag-reindex-all"
          >
            Re-index all
          </PermissionButton>
          <PermissionButton
            variant="outlined"
            permission={ragCollectionUpdatePermission}
            resourceRef={resourceRef}
            what={name}
            onClick={() => setEditing(true)}
            data-testid="rag-edit-collection"
          >
            Edit
          </PermissionButton>
          <PermissionButton
            variant="outlined"
            color="secondary"
            permission={ragCollectionDeletePermission}
            resourceRef={resourceRef}
            what={name}
            onClick={() => setConfirm({ kind: 'delete-collection' })}
            data-testid="rag-delete-collection"
          >
            Delete
          </PermissionButton>
        </Box>
      </Grid>
      {actionError && (
        <Grid item xs={12}>
          <Alert severity="error" onClose={() => setActionError(undefined)}>
            {actionError}
          </Alert>
        </Grid>
      )}
      <Grid item xs={12} md={5}>
        <InfoCard title="About">
          <About c={c} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Upload">
          <UploadPanel
            collection={name}
            rows={uploads.rows}
            documentOf={id => byId.get(id)}
            maxUploadBytes={status.value?.limits.maxUploadBytes}
            onFiles={uploads.add}
            onCancel={uploads.cancel}
            onClear={uploads.clearFinished}
          />
          {ingestion.error && (
            <Box mt={1}>
              <ErrorNotice
                error={ingestion.error}
                what="follow the ingestion"
              />
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title={`Documents${documents.value ? ` (${shown.length})` : ''}`}
        >
          {docsBody}
        </InfoCard>
      </Grid>
      <CollectionDialog
        open={editing}
        collection={c}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          reloadCollection();
        }}
      />
      <ConfirmDialog
        open={confirm?.kind === 'delete-document'}
        title="Delete the document?"
        confirmLabel="Delete"
        onClose={() => setConfirm(undefined)}
        onConfirm={onConfirm}
      >
        {confirm?.kind === 'delete-document' &&
          `${confirm.doc.name}, its passages and its original are deleted; answers no longer cite it.`}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm?.kind === 'reindex-all'}
        title="Re-index every document?"
        confirmLabel="Re-index all"
        onClose={() => setConfirm(undefined)}
        onConfirm={onConfirm}
      >
        Every document of {c.title || c.name} is split and embedded again from
        its original ({c.stats.documents} documents, {c.stats.chunks} chunks).
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm?.kind === 'delete-collection'}
        title={`Delete ${c.title || c.name}?`}
        confirmLabel="Delete"
        typeToConfirm={name}
        onClose={() => setConfirm(undefined)}
        onConfirm={onConfirm}
      >
        The knowledge base, its {c.stats.documents} documents, their passages
        and originals are deleted. This cannot be undone.
      </ConfirmDialog>
    </Grid>
  );
}
