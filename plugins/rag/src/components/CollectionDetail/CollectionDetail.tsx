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
import {
  PermissionButton,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
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
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { entityLink, shortRef, useRagFormat } from '../../lib/format';
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
  const { t } = useRagTranslation();
  const f = useRagFormat();
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
      {row(t('detail.name'), c.name)}
      {row(t('detail.ownerTeam'), <RefLinks refs={[c.ownerRef]} />)}
      {row(t('detail.sharedWith'), <RefLinks refs={c.sharedWith} />)}
      {row(t('detail.linkedEntities'), <RefLinks refs={c.entityRefs} />)}
      {row(
        t('detail.content'),
        t('detail.contentValue', {
          documents: f.number(c.stats.documents),
          chunks: f.number(c.stats.chunks),
          size: formatBytes(c.stats.bytes),
        }),
      )}
      {row(t('detail.embeddings'), c.embeddingModel)}
      {row(
        t('detail.created'),
        t('detail.createdValue', {
          time: f.time(c.createdAt),
          user: shortRef(c.createdBy),
        }),
      )}
      {row(t('detail.updated'), f.time(c.updatedAt))}
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
  const { t } = useRagTranslation();
  const errorMessage = useErrorMessage();
  const f = useRagFormat();
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
        what={t('what.openCollection', { name })}
        onRetry={collection.retry}
      >
        <div>
          <Link to={paths.collections}>{t('detail.allCollections')}</Link>
        </div>
      </ErrorNotice>
    );
  }
  const c = collection.value!;
  const resourceRef = ragCollectionResourceRef(name);

  const run = async (
    failed: (message: string) => string,
    fn: () => Promise<void>,
  ) => {
    setActionError(undefined);
    try {
      await fn();
    } catch (e) {
      setActionError(failed(errorMessage(e)));
    }
  };
  const download = (doc: DocumentInfo) =>
    run(
      message => t('detail.downloadFailed', { name: doc.name, message }),
      async () => saveBlob(await api.downloadOriginal(name, doc.id), doc.name),
    );
  const reindex = (doc: DocumentInfo) =>
    run(
      message => t('detail.reindexFailed', { name: doc.name, message }),
      async () => {
        await api.reindexDocument(name, doc.id);
        if (documents.value) forget(documents.value, [doc.id]);
        reloadDocuments();
        reloadCollection();
      },
    );

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
        what={t('what.readDocuments')}
        onRetry={documents.retry}
      />
    );
  else if (shown.length === 0)
    docsBody = (
      <EmptyState
        missing="content"
        title={t('detail.noDocumentsTitle')}
        description={t('detail.noDocumentsDescription')}
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
            <Link to={paths.collections}>{t('detail.collections')}</Link> /{' '}
            {c.title || c.name}
          </Typography>
          <PermissionButton
            variant="outlined"
            permission={ragCollectionUpdatePermission}
            resourceRef={resourceRef}
            what={name}
            disabled={c.stats.documents === 0}
            disabledReason={t('detail.noDocumentsToReindex')}
            onClick={() => setConfirm({ kind: 'reindex-all' })}
            data-testid="rag-reindex-all"
          >
            {t('detail.reindexAll')}
          </PermissionButton>
          <PermissionButton
            variant="outlined"
            permission={ragCollectionUpdatePermission}
            resourceRef={resourceRef}
            what={name}
            onClick={() => setEditing(true)}
            data-testid="rag-edit-collection"
          >
            {t('detail.edit')}
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
            {t('detail.delete')}
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
        <InfoCard title={t('detail.about')}>
          <About c={c} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title={t('detail.upload')}>
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
                what={t('what.followIngestion')}
              />
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title={
            documents.value
              ? t('detail.documentsCount', { n: String(shown.length) })
              : t('detail.documents')
          }
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
        title={t('detail.deleteDocumentTitle')}
        confirmLabel={t('detail.delete')}
        onClose={() => setConfirm(undefined)}
        onConfirm={onConfirm}
      >
        {confirm?.kind === 'delete-document' &&
          t('detail.deleteDocumentText', { name: confirm.doc.name })}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm?.kind === 'reindex-all'}
        title={t('detail.reindexAllTitle')}
        confirmLabel={t('detail.reindexAll')}
        onClose={() => setConfirm(undefined)}
        onConfirm={onConfirm}
      >
        {t('detail.reindexAllText', {
          title: c.title || c.name,
          documents: f.number(c.stats.documents),
          chunks: f.number(c.stats.chunks),
        })}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm?.kind === 'delete-collection'}
        title={t('detail.deleteCollectionTitle', { title: c.title || c.name })}
        confirmLabel={t('detail.delete')}
        typeToConfirm={name}
        onClose={() => setConfirm(undefined)}
        onConfirm={onConfirm}
      >
        {t('detail.deleteCollectionText', {
          documents: f.number(c.stats.documents),
        })}
      </ConfirmDialog>
    </Grid>
  );
}
