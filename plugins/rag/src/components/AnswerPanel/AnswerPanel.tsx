import { Fragment, useMemo } from 'react';
import {
  Box,
  Chip,
  LinearProgress,
  Link,
  Paper,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import type { Answer, Citation } from '@kubemate/plugin-rag-common';
import type { AskState } from '../../hooks';
import { splitCitationMarkers } from '../../lib/answerText';
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { useRagFormat } from '../../lib/format';
import { CitationList } from '../CitationList';
import { ErrorNotice } from '../ErrorNotice';
import { FeedbackBar } from '../FeedbackBar';

const useStyles = makeStyles(theme => ({
  text: { whiteSpace: 'pre-wrap', lineHeight: 1.6 },
  cursor: {
    display: 'inline-block',
    width: '0.5em',
    height: '1em',
    marginLeft: 2,
    verticalAlign: 'text-bottom',
    backgroundColor: theme.palette.text.primary,
    animation: '$blink 1s steps(1) infinite',
  },
  '@keyframes blink': { '50%': { opacity: 0 } },
  ref: { verticalAlign: 'baseline', fontWeight: 600 },
}));

/** The answer's text, its `[n]` markers as links to their citation. */
export function AnswerText(props: {
  text: string;
  citations: Citation[];
  streaming?: boolean;
  onCite: (citation: Citation) => void;
}) {
  const classes = useStyles();
  const { t } = useRagTranslation();
  const { text, citations, onCite } = props;
  const byIndex = useMemo(
    () => new Map(citations.map(c => [c.index, c])),
    [citations],
  );
  const parts = useMemo(
    () => splitCitationMarkers(text, n => byIndex.has(n)),
    [text, byIndex],
  );
  return (
    <Typography
      component="div"
      className={classes.text}
      data-testid="rag-answer-text"
    >
      {parts.map((p, i) =>
        'cite' in p ? (
          <Link
            key={i}
            component="button"
            className={classes.ref}
            onClick={() => onCite(byIndex.get(p.cite)!)}
            data-testid={`rag-answer-ref-${p.cite}`}
            aria-label={t('answer.sourceAria', {
              index: String(p.cite),
              document: byIndex.get(p.cite)!.documentName,
            })}
          >
            [{p.cite}]
          </Link>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
      {props.streaming && <span className={classes.cursor} aria-hidden />}
    </Typography>
  );
}

/** First token, total and tokens/s of an answer, in small text. */
export function Timings(props: { answer?: Answer; firstTokenMs?: number }) {
  const { answer } = props;
  const { t } = useRagTranslation();
  const f = useRagFormat();
  const first = answer?.timings.firstTokenMs ?? props.firstTokenMs;
  const parts = [
    first !== undefined && t('answer.firstToken', { duration: f.ms(first) }),
    answer && t('answer.total', { duration: f.ms(answer.timings.totalMs) }),
    answer?.tokens &&
      answer.tokens.perSecond > 0 &&
      t('answer.tokensPerSecond', {
        rate: f.number(answer.tokens.perSecond, {
          minimumFractionDigits: 1,
          maximumFractionDigits: 1,
        }),
      }),
    answer && `${answer.model}`,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="div"
      data-testid="rag-timings"
    >
      {parts.join(' · ')}
    </Typography>
  );
}

/**
 * The answer to the question asked (or picked from the history): streaming in, done, not found
 * in the knowledge base (distinct from an error), stopped, or failed with the backend's text;
 * its sources, feedback and timings.
 */
export function AnswerPanel(props: {
  state: AskState;
  onCite: (citation: Citation) => void;
  onFeedback: (answer: Answer) => void;
}) {
  const { state, onCite, onFeedback } = props;
  const { t } = useRagTranslation();
  if (state.phase === 'idle') return null;
  const streaming = state.phase === 'streaming';
  const waiting = streaming && !state.text;
  return (
    <Paper variant="outlined">
      <Box
        p={2}
        data-testid="rag-answer"
        data-state={state.phase}
        data-answer-id={state.answerId}
        aria-busy={streaming}
      >
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography
            variant="subtitle1"
            style={{ fontWeight: 600, flexGrow: 1 }}
          >
            {state.question}
          </Typography>
          {state.cached && (
            <Chip
              size="small"
              label={t('answer.fromCache')}
              variant="outlined"
              data-testid="rag-cached"
            />
          )}
        </Box>
        {waiting && (
          <Box my={1}>
            <Typography variant="body2" color="textSecondary">
              {state.citations.length || state.notFound
                ? t('answer.writing')
                : t('answer.searching')}
            </Typography>
            <LinearProgress />
          </Box>
        )}
        {state.phase === 'notfound' && (
          <Box my={1}>
            <Alert severity="info" data-testid="rag-not-found">
              <AlertTitle>{t('answer.notFoundTitle')}</AlertTitle>
              {state.collections?.length
                ? t('answer.notFoundIn', {
                    collections: state.collections.join(', '),
                  })
                : t('answer.notFoundAny')}
            </Alert>
          </Box>
        )}
        {state.phase !== 'notfound' && state.text && (
          <Box my={1}>
            <AnswerText
              text={state.text}
              citations={state.citations}
              streaming={streaming}
              onCite={onCite}
            />
          </Box>
        )}
        {state.phase === 'stopped' && (
          <Typography variant="caption" color="textSecondary">
            {t('answer.stopped')}
          </Typography>
        )}
        {state.phase === 'error' && state.error && (
          <Box my={1}>
            <ErrorNotice
              error={state.error}
              what={t('what.answerQuestion')}
              data-testid="rag-answer-error"
            />
          </Box>
        )}
        <CitationList
          citations={state.citations}
          onOpen={onCite}
          title={
            state.notFound ? t('answer.closestPassages') : t('answer.sources')
          }
        />
        {state.answerId &&
          (state.phase === 'done' || state.phase === 'notfound') && (
            <FeedbackBar
              answerId={state.answerId}
              feedback={state.answer?.feedback}
              onSaved={onFeedback}
            />
          )}
        <Box mt={1}>
          <Timings answer={state.answer} firstTokenMs={state.firstTokenMs} />
        </Box>
      </Box>
    </Paper>
  );
}
