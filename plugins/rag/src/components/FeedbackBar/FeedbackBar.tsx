import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  IconButton,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import ThumbUpIcon from '@material-ui/icons/ThumbUp';
import ThumbUpOutlinedIcon from '@material-ui/icons/ThumbUpOutlined';
import ThumbDownIcon from '@material-ui/icons/ThumbDown';
import ThumbDownOutlinedIcon from '@material-ui/icons/ThumbDownOutlined';
import type { Answer, Feedback } from '@kubemate/plugin-rag-common';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { ragApiRef } from '../../api';
import { useRagTranslation } from '../../hooks/useRagTranslation';

/** Per rating: its icon when not chosen, and when chosen. */
const ICONS = {
  up: [ThumbUpOutlinedIcon, ThumbUpIcon],
  down: [ThumbDownOutlinedIcon, ThumbDownIcon],
};

/**
 * Thumbs up or down on an answer (saved at once), then an optional comment sent with the same
 * rating. Shows the feedback already given.
 */
export function FeedbackBar(props: {
  answerId: string;
  feedback?: Feedback;
  onSaved: (answer: Answer) => void;
}) {
  const { answerId, feedback, onSaved } = props;
  const api = useApi(ragApiRef);
  const { t } = useRagTranslation();
  const errorMessage = useErrorMessage();
  const [rating, setRating] = useState(feedback?.rating);
  const [comment, setComment] = useState(feedback?.comment ?? '');
  const [commenting, setCommenting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState(false);
  useEffect(() => {
    setRating(feedback?.rating);
    setComment(feedback?.comment ?? '');
    setCommenting(false);
    setSent(false);
    setError(undefined);
    // a different answer: start over
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answerId]);

  const save = async (r: 'up' | 'down', text?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await api.putFeedback(answerId, {
        rating: r,
        ...(text ? { comment: text } : {}),
      });
      setRating(r);
      onSaved(saved);
      return true;
    } catch (e) {
      setError(t('feedback.saveFailed', { message: errorMessage(e) }));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const rate = async (r: 'up' | 'down') => {
    if (await save(r, comment.trim() || undefined)) setCommenting(true);
  };

  const thumb = (r: 'up' | 'down') => {
    const chosen = rating === r;
    const Icon = ICONS[r][chosen ? 1 : 0];
    const label = r === 'up' ? t('feedback.helpful') : t('feedback.notHelpful');
    return (
      <Tooltip title={label}>
        <span>
          <IconButton
            size="small"
            aria-label={label}
            aria-pressed={chosen}
            color={chosen ? 'primary' : 'default'}
            disabled={busy}
            onClick={() => rate(r)}
            data-testid={`rag-feedback-${r}`}
          >
            <Icon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
    );
  };

  return (
    <Box mt={2}>
      <Box display="flex" alignItems="center" style={{ gap: 4 }}>
        <Typography variant="body2" color="textSecondary">
          {t('feedback.question')}
        </Typography>
        {thumb('up')}
        {thumb('down')}
        {sent && (
          <Typography variant="body2" color="textSecondary">
            {t('feedback.thanks')}
          </Typography>
        )}
      </Box>
      {commenting && rating && !sent && (
        <Box display="flex" alignItems="flex-start" style={{ gap: 8 }}>
          <TextField
            id="rag-feedback-comment"
            label={t('feedback.comment')}
            value={comment}
            onChange={e => setComment(e.target.value)}
            multiline
            minRows={1}
            maxRows={4}
            fullWidth
            margin="dense"
            inputProps={{
              maxLength: 2000,
              'data-testid': 'rag-feedback-comment',
            }}
          />
          <Box mt={2}>
            <Button
              variant="outlined"
              size="small"
              disabled={busy || !comment.trim()}
              onClick={async () => {
                if (await save(rating, comment.trim())) setSent(true);
              }}
              data-testid="rag-feedback-send"
            >
              {t('feedback.send')}
            </Button>
          </Box>
        </Box>
      )}
      {error && <Alert severity="error">{error}</Alert>}
    </Box>
  );
}
