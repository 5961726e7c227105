import { KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import {
  EmptyState,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import {
  Box,
  Button,
  Grid,
  Paper,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import SendIcon from '@material-ui/icons/Send';
import StopIcon from '@material-ui/icons/Stop';
import {
  Answer,
  Citation,
  Collection,
  ragCollectionResourceRef,
  ragQueryRunPermission,
} from '@kubemate/plugin-rag-common';
import { ragApiRef } from '../../api';
import {
  useAsk,
  useCollections,
  useGenerationModels,
  useHistory,
  useResourcePermissions,
} from '../../hooks';
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { TEMPLATE_PATH, useRagPaths } from '../../lib/paths';
import { AnswerPanel } from '../AnswerPanel';
import { CollectionPicker } from '../CollectionPicker';
import { ErrorNotice } from '../ErrorNotice';
import { HistoryList } from '../HistoryList';
import { ModelPicker } from '../ModelPicker';
import { PassageDialog } from '../PassageDialog';

/** The longest question the backend takes. */
export const MAX_QUESTION = 2000;

/**
 * Ask: pick knowledge bases, ask, watch the answer stream in with its sources, open a source's
 * passage, rate the answer; the history beside it (`?answer=<id>` shows one of its answers).
 * `restrictTo` limits everything to those knowledge bases (the entity tab Docs Q&A).
 */
export function AskView(props: { restrictTo?: string[] }) {
  const { restrictTo } = props;
  const { t } = useRagTranslation();
  const api = useApi(ragApiRef);
  const paths = useRagPaths();
  const collections = useCollections();
  const history = useHistory();
  const generationModels = useGenerationModels();
  /** the model picked; undefined = the configured default */
  const [model, setModel] = useState<string>();
  const { state, ask, stop, show, update } = useAsk();
  const [searchParams, setSearchParams] = useSearchParams();
  const [question, setQuestion] = useState('');
  const [deselected, setDeselected] = useState<ReadonlySet<string>>(new Set());
  const [cited, setCited] = useState<Citation>();
  const [historyError, setHistoryError] = useState<unknown>();

  const restrictKey = restrictTo?.join(',');
  const pool: Collection[] = useMemo(() => {
    const all = collections.value ?? [];
    const only = restrictKey?.split(',');
    return only ? all.filter(c => only.includes(c.name)) : all;
  }, [collections.value, restrictKey]);
  const refs = useMemo(
    () => pool.map(c => ragCollectionResourceRef(c.name)),
    [pool],
  );
  const queryPermissions = useResourcePermissions(ragQueryRunPermission, refs);
  const queryable = useMemo(
    () =>
      pool.filter(c =>
        queryPermissions.allowed.has(ragCollectionResourceRef(c.name)),
      ),
    [pool, queryPermissions.allowed],
  );
  const selected = useMemo(
    () => new Set(queryable.map(c => c.name).filter(n => !deselected.has(n))),
    [queryable, deselected],
  );
  const allSelected = selected.size === queryable.length;

  // the history of this view: in Docs Q&A, the answers that used its knowledge bases
  const answers = useMemo(() => {
    const only = restrictKey?.split(',');
    return only
      ? history.value?.filter(a => a.collections.some(c => only.includes(c)))
      : history.value;
  }, [history.value, restrictKey]);

  // an answer of the history, by the URL
  const shownId = searchParams.get('answer') ?? undefined;
  useEffect(() => {
    if (!shownId || shownId === state.answerId || state.phase === 'streaming') {
      return undefined;
    }
    let current = true;
    setHistoryError(undefined);
    const listed = history.value?.find(a => a.id === shownId);
    (listed ? Promise.resolve(listed) : api.getAnswer(shownId)).then(
      a => current && show(a),
      e => current && setHistoryError(e),
    );
    return () => {
      current = false;
    };
  }, [shownId, state.answerId, state.phase, history.value, api, show]);

  // a finished answer goes to the history, and into the URL
  const finished =
    state.phase === 'done' || state.phase === 'notfound'
      ? state.answerId
      : undefined;
  const retryHistory = history.retry;
  const announced = useRef<string>();
  useEffect(() => {
    // once per answer (setSearchParams changes with the URL it sets)
    if (!finished || announced.current === finished) return;
    announced.current = finished;
    retryHistory();
    setSearchParams(
      p => {
        const next = new URLSearchParams(p);
        next.set('answer', finished);
        return next;
      },
      { replace: true },
    );
  }, [finished, retryHistory, setSearchParams]);

  const streaming = state.phase === 'streaming';
  const trimmed = question.trim();
  let blocked = '';
  if (!trimmed) blocked = t('ask.typeQuestion');
  else if (selected.size === 0) blocked = t('ask.pickCollection');
  else if (trimmed.length > MAX_QUESTION) {
    blocked = t('ask.tooLong', { max: String(MAX_QUESTION) });
  }

  const submit = () => {
    if (blocked || streaming) return;
    setHistoryError(undefined);
    setSearchParams(
      p => {
        const next = new URLSearchParams(p);
        next.delete('answer');
        return next;
      },
      { replace: true },
    );
    // every knowledge base of the page: the backend's default (all the user may query)
    // a model that is no longer listed (its served model was deleted): the default answers
    const picked =
      model && generationModels.value?.items.some(m => m.name === model)
        ? model
        : undefined;
    ask(
      trimmed,
      allSelected && !restrictTo ? undefined : [...selected],
      picked,
    );
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  const pick = (answer: Answer) => {
    stop(); // a question still streaming gives way to the answer picked
    setSearchParams(p => {
      const next = new URLSearchParams(p);
      next.set('answer', answer.id);
      return next;
    });
  };
  const onFeedback = (answer: Answer) => {
    update(answer);
    history.retry();
  };

  if (collections.loading && !collections.value) return <Progress />;
  if (collections.error && !collections.value) {
    return (
      <ErrorNotice
        error={collections.error}
        what={t('what.readCollections')}
        onRetry={collections.retry}
      />
    );
  }
  if ((collections.value ?? []).length === 0 && !restrictTo) {
    return (
      <EmptyState
        missing="data"
        title={t('ask.emptyTitle')}
        description={t('ask.emptyDescription')}
        action={
          <Box display="flex" style={{ gap: 8 }}>
            <LinkButton
              variant="contained"
              color="primary"
              to={paths.newCollection}
            >
              {t('ask.createCollection')}
            </LinkButton>
            <LinkButton variant="outlined" to={TEMPLATE_PATH}>
              {t('ask.useTemplate')}
            </LinkButton>
          </Box>
        }
      />
    );
  }

  // Docs Q&A: the entity's knowledge bases the user may not read (or that do not exist)
  const unreadable = (restrictTo ?? []).filter(
    n => !pool.some(c => c.name === n),
  );
  const unreadableNote = unreadable.length > 0 && (
    <Alert severity="info" data-testid="rag-unreadable-collections">
      {t('ask.unreadable', {
        count: unreadable.length,
        names: unreadable.join(', '),
      })}{' '}
      <Link to={paths.collections}>{t('ask.readableCollections')}</Link>
    </Alert>
  );
  if (restrictTo && pool.length === 0) return <>{unreadableNote}</>;

  const checking = pool.length > 0 && !queryPermissions.decided;
  return (
    <Grid container spacing={3}>
      {queryPermissions.probes}
      <Grid item xs={12} md={8}>
        {unreadableNote && <Box mb={2}>{unreadableNote}</Box>}
        <Paper variant="outlined">
          <Box p={2}>
            {checking && <Progress />}
            {!checking && queryable.length === 0 && (
              <Alert severity="info">
                {pool.length === 1
                  ? t('ask.notAllowedOne')
                  : t('ask.notAllowedAny')}
              </Alert>
            )}
            {queryable.length > 0 && (
              <CollectionPicker
                collections={queryable}
                selected={selected}
                disabled={streaming}
                onChange={next =>
                  setDeselected(
                    new Set(
                      queryable.map(c => c.name).filter(n => !next.has(n)),
                    ),
                  )
                }
              />
            )}
            <TextField
              id="rag-question"
              label={t('ask.question')}
              placeholder={t('ask.questionPlaceholder')}
              value={question}
              onChange={e => setQuestion(e.target.value)}
              onKeyDown={onKeyDown}
              multiline
              minRows={2}
              maxRows={8}
              fullWidth
              margin="normal"
              variant="outlined"
              helperText={t('ask.questionHelper')}
              error={trimmed.length > MAX_QUESTION}
              inputProps={{ 'data-testid': 'rag-question' }}
            />
            <Box
              display="flex"
              flexWrap="wrap"
              alignItems="flex-start"
              style={{ gap: 8 }}
            >
              <Tooltip title={streaming ? '' : blocked}>
                <span>
                  <Button
                    variant="contained"
                    color="primary"
                    startIcon={<SendIcon />}
                    onClick={submit}
                    disabled={Boolean(blocked) || streaming}
                    data-testid="rag-ask"
                  >
                    {t('ask.ask')}
                  </Button>
                </span>
              </Tooltip>
              <Button
                variant="outlined"
                startIcon={<StopIcon />}
                onClick={stop}
                disabled={!streaming}
                data-testid="rag-stop"
              >
                {t('ask.stop')}
              </Button>
              <Box flexGrow={1} />
              <ModelPicker
                models={generationModels.value}
                value={model}
                onChange={setModel}
                disabled={streaming}
              />
            </Box>
          </Box>
        </Paper>
        <Box mt={2}>
          {historyError !== undefined && state.phase !== 'streaming' ? (
            <ErrorNotice error={historyError} what={t('what.showAnswer')} />
          ) : (
            <AnswerPanel
              state={state}
              onCite={setCited}
              onFeedback={onFeedback}
            />
          )}
        </Box>
        {state.phase === 'idle' && !historyError && (
          <Typography variant="body2" color="textSecondary">
            {t('ask.idleHint')}
          </Typography>
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        <HistoryList
          answers={answers}
          loading={history.loading}
          error={history.error}
          selectedId={state.answerId}
          onSelect={pick}
          onRetry={history.retry}
        />
      </Grid>
      <PassageDialog citation={cited} onClose={() => setCited(undefined)} />
    </Grid>
  );
}
