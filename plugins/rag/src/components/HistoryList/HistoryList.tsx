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
import { formatTime } from '../../lib/format';
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
  const { answers, loading, error, selectedId, onSelect } = props;
  let body;
  if (!answers && loading) {
    body = [0, 1, 2].map(i => <Skeleton key={i} height={48} />);
  } else if (!answers && error) {
    body = (
      <ErrorNotice
        error={error}
        what="read your history"
        onRetry={props.onRetry}
      />
    );
  } else if (!answers?.length) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Your questions will be listed here.
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
                  {formatTime(a.createdAt)} · {a.collections.join(', ')}
                  {a.notFound ? ' · not found' : ''}
                  {a.feedback?.rating === 'up' && (
                    <ThumbUpIcon
                      fontSize="inherit"
                      aria-label="rated helpful"
                      style={{ marginLeft: 4, verticalAlign: 'middle' }}
                    />
                  )}
                  {a.feedback?.rating === 'down' && (
                    <ThumbDownIcon
                      fontSize="inherit"
                      aria-label="rated not helpful"
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
    <InfoCard title="History" noPadding={false}>
      {body}
    </InfoCard>
  );
}
