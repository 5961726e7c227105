import {
  Box,
  List,
  ListItem,
  ListItemText,
  Typography,
  makeStyles,
} from '@material-ui/core';
import type { Citation } from '@kubemate/plugin-rag-common';
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { useRagFormat } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  excerpt: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    whiteSpace: 'pre-wrap',
  },
  index: {
    minWidth: theme.spacing(4),
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/** The sources of an answer: `[n]` document · section · score, and the excerpt; a click opens the passage. */
export function CitationList(props: {
  citations: Citation[];
  onOpen: (citation: Citation) => void;
  title?: string;
}) {
  const classes = useStyles();
  const { t } = useRagTranslation();
  const f = useRagFormat();
  const { citations, onOpen } = props;
  if (citations.length === 0) return null;
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">
        {props.title ?? t('citations.sources')}
      </Typography>
      <List dense disablePadding>
        {citations.map(c => (
          <ListItem
            key={c.index}
            button
            alignItems="flex-start"
            onClick={() => onOpen(c)}
            data-testid={`rag-citation-${c.index}`}
            aria-label={t('citations.openAria', {
              index: String(c.index),
              document: c.documentName,
            })}
          >
            <Typography className={classes.index} component="span">
              [{c.index}]
            </Typography>
            <ListItemText
              primary={
                <>
                  <strong>{c.documentName}</strong>
                  {c.section ? ` · ${c.section}` : ''} · {f.score(c.score)}
                  <Typography
                    component="span"
                    variant="caption"
                    color="textSecondary"
                  >
                    {' '}
                    ({c.collection})
                  </Typography>
                </>
              }
              secondary={<span className={classes.excerpt}>{c.excerpt}</span>}
            />
          </ListItem>
        ))}
      </List>
    </Box>
  );
}
