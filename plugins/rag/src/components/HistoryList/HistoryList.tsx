import {
  List,
  ListItem,
  ListItemText,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Skeleton } from '@material-ui/lab';
import ThumbUpIcon from '@material-ui/icons/ThumbUp';
import ThumbDownIcon from '@material-ui/icons/ThumbDown';
import { InfoCard } from '@backstage/core-components';
import type { Answer } from '@kubemate/plugin-rag-common';
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { useRagFormat } from '../../lib/format';
import { ErrorNotice } from '../ErrorNotice';

const useStyles = makeStyles({
  question: {
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
});

/** The user's questions, newest first: question, when, knowledge bases, feedback; a click shows the answer. */
export function HistoryList(props: {
  answers?: Answer[];
  loading: boolean;
  error?: Error;
  selectedId?: string;
  onSelect: (answer: Answer) => void;
  onRetry: () => void;
}) {
  const classes = useStyles();
  const { t } = useRagTranslation();
  const f = useRagFormat();
  const { answers, loading, error, selectedId, onSelect } = props;
  let body;
  if (!answers && loading) {
    body = [0, 1, 2].map(i => <Skeleton key={i} height={48} />);
  } else if (!answers && error) {
    body = (
      <ErrorNotice
        error={error}
        what={t('what.readHistory')}
        onRetry={props.onRetry}
      />
    );
  } else if (!answers?.length) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {t('history.empty')}
      </Typography>
    );
  } else {
    body = (
      <List dense disablePadding>
        {answers.map(a => (
          <ListItem
            key={a.id}
            button
            selected={a.id === selectedId}
            onClick={() => onSelect(a)}
            data-testid={`rag-history-item-${a.id}`}
          >
            <ListItemText
              primary={<span className={classes.question}>{a.question}</span>}
              secondary={
                <>
                  {f.time(a.createdAt)} · {a.collections.join(', ')}
                  {a.notFound ? ` · ${t('history.notFound')}` : ''}
                  {a.feedback?.rating === 'up' && (
                    <ThumbUpIcon
                      fontSize="inherit"
                      aria-label={t('history.ratedUp')}
                      style={{ marginLeft: 4, verticalAlign: 'middle' }}
                    />
                  )}
                  {a.feedback?.rating === 'down' && (
                    <ThumbDownIcon
                      fontSize="inherit"
                      aria-label={t('history.ratedDown')}
                      style={{ marginLeft: 4, verticalAlign: 'middle' }}
                    />
                  )}
                </>
              }
            />
          </ListItem>
        ))}
      </List>
    );
  }
  return (
    <InfoCard title={t('history.title')} noPadding={false}>
      {body}
    </InfoCard>
  );
}
