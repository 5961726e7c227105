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
import { formatMs } from '../../lib/format';
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
            aria-label={`Source ${p.cite}: ${
              byIndex.get(p.cite)!.documentName
            }`}
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
  const first = answer?.timings.firstTokenMs ?? props.firstTokenMs;
  const parts = [
    first !== undefined && `first token ${formatMs(first)}`,
    answer && `total ${formatMs(answer.timings.totalMs)}`,
    answer?.tokens &&
      answer.tokens.perSecond > 0 &&
      `${answer.tokens.perSecond.toFixed(1)} tokens/s`,
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
              label="from cache"
              variant="outlined"
              data-testid="rag-cached"
            />
          )}
        </Box>
        {waiting && (
          <Box my={1}>
            <Typography variant="body2" color="textSecondary">
              {state.citations.length || state.notFound
                ? 'Writing the answer…'
                : 'Searching the knowledge bases…'}
            </Typography>
            <LinearProgress />
          </Box>
        )}
        {state.phase === 'notfound' && (
          <Box my={1}>
            <Alert severity="info" data-testid="rag-not-found">
              <AlertTitle>Not found in the knowledge base</AlertTitle>
              No passage of{' '}
              {state.collections?.join(', ') || 'the knowledge bases'} is close
              enough to the question to answer it. Rephrase it, pick other
              knowledge bases, or upload the document that answers it.
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
            Stopped.
          </Typography>
        )}
        {state.phase === 'error' && state.error && (
          <Box my={1}>
            <ErrorNotice
              error={state.error}
              what="answer the question"
              data-testid="rag-answer-error"
            />
          </Box>
        )}
        <CitationList
          citations={state.citations}
          onOpen={onCite}
          title={state.notFound ? 'Closest passages' : 'Sources'}
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
