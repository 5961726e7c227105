import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  useErrorMessage,
  usePolledAsync,
} from '@kubemate/plugin-kubemate-react';
import type { Citation } from '@kubemate/plugin-rag-common';
import { ragApiRef } from '../../api';
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { saveBlob } from '../../lib/download';
import { ErrorNotice } from '../ErrorNotice';

const useStyles = makeStyles(theme => ({
  text: { whiteSpace: 'pre-wrap', fontFamily: theme.typography.fontFamily },
  context: { whiteSpace: 'pre-wrap', color: theme.palette.text.secondary },
  passage: {
    whiteSpace: 'pre-wrap',
    padding: theme.spacing(1),
    margin: theme.spacing(1, 0),
    borderLeft: `4px solid ${theme.palette.primary.main}`,
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(255, 235, 59, 0.16)'
        : 'rgba(255, 235, 59, 0.35)',
  },
}));

/**
 * The passage a citation points at, highlighted between its neighbours; move to the previous or
 * next passage of the document; download the original (fetched with the user's token).
 */
export function PassageDialog(props: {
  citation?: Citation;
  onClose: () => void;
}) {
  const { citation, onClose } = props;
  const classes = useStyles();
  const { t } = useRagTranslation();
  const errorMessage = useErrorMessage();
  const api = useApi(ragApiRef);
  // the passage moved to, for the citation it was moved from (a new citation starts at its own)
  const [moved, setMoved] = useState<{ from?: Citation; chunkIndex: number }>();
  const chunkIndex =
    moved && moved.from === citation
      ? moved.chunkIndex
      : citation?.chunkIndex ?? 0;
  const move = (by: number) =>
    setMoved({ from: citation, chunkIndex: chunkIndex + by });
  const [downloadError, setDownloadError] = useState<string>();
  useEffect(() => {
    // closed or opened on another citation: start over at the cited passage
    setMoved(undefined);
    setDownloadError(undefined);
  }, [citation]);

  const passage = usePolledAsync(
    async () =>
      citation
        ? api.getPassage(citation.collection, citation.documentId, chunkIndex)
        : undefined,
    [api, citation, chunkIndex],
  );
  const p = passage.value;

  const download = async () => {
    if (!citation) return;
    setDownloadError(undefined);
    try {
      const blob = await api.downloadOriginal(
        citation.collection,
        citation.documentId,
      );
      saveBlob(blob, p?.documentName ?? citation.documentName);
    } catch (e) {
      setDownloadError(
        t('passage.downloadFailed', { message: errorMessage(e) }),
      );
    }
  };

  let body;
  if (passage.loading && !p) body = <Progress />;
  else if (passage.error)
    body = (
      <ErrorNotice
        error={passage.error}
        what={t('what.openPassage')}
        onRetry={passage.retry}
      />
    );
  else if (p)
    body = (
      <>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {p.section
            ? t('passage.positionInSection', {
                section: p.section,
                index: String(p.chunkIndex + 1),
                total: String(p.chunksTotal),
                collection: p.collection,
              })
            : t('passage.position', {
                index: String(p.chunkIndex + 1),
                total: String(p.chunksTotal),
                collection: p.collection,
              })}
        </Typography>
        {p.previous && (
          <Typography
            variant="body2"
            className={classes.context}
            data-testid="rag-passage-previous-text"
          >
            {p.previous}
          </Typography>
        )}
        <Box className={classes.passage}>
          <Typography
            variant="body1"
            className={classes.text}
            data-testid="rag-passage-text"
          >
            {p.text}
          </Typography>
        </Box>
        {p.next && (
          <Typography
            variant="body2"
            className={classes.context}
            data-testid="rag-passage-next-text"
          >
            {p.next}
          </Typography>
        )}
      </>
    );

  return (
    <Dialog
      open={Boolean(citation)}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      scroll="paper"
      PaperProps={{ 'data-testid': 'rag-passage' } as object}
      aria-labelledby="rag-passage-title"
    >
      <DialogTitle id="rag-passage-title">
        {citation ? `[${citation.index}] ` : ''}
        {p?.documentName ?? citation?.documentName}
      </DialogTitle>
      <DialogContent dividers>
        {body}
        {downloadError && <Alert severity="error">{downloadError}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button
          onClick={() => move(-1)}
          disabled={!p || chunkIndex <= 0}
          data-testid="rag-passage-prev"
        >
          {t('passage.previous')}
        </Button>
        <Button
          onClick={() => move(1)}
          disabled={!p || chunkIndex >= p.chunksTotal - 1}
          data-testid="rag-passage-next"
        >
          {t('passage.next')}
        </Button>
        <Box flexGrow={1} />
        <Button
          onClick={download}
          disabled={!citation}
          data-testid="rag-passage-download"
        >
          {t('passage.download')}
        </Button>
        <Button
          onClick={onClose}
          color="primary"
          data-testid="rag-passage-close"
        >
          {t('passage.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
