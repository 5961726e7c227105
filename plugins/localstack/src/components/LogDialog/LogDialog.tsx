import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  makeStyles,
  Typography,
} from '@material-ui/core';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  TranslatedErrorPanel,
  usePolledAsync,
} from '@kubemate/plugin-kubemate-react';
import type { DevStackServer } from '@kubemate/plugin-localstack-common';
import { localstackApiRef } from '../../api';
import { localstackTranslationRef } from '../../translation';

/** How many lines of the log the dialog shows. */
export const LOG_LINES = 500;

const useStyles = makeStyles(theme => ({
  log: {
    fontFamily: 'monospace',
    fontSize: 12,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
    padding: theme.spacing(1),
    maxHeight: '60vh',
    overflow: 'auto',
    backgroundColor: theme.palette.background.default,
  },
}));

/** The tail of a server's log, read again on Refresh. */
export function LogDialog(props: {
  server: Pick<DevStackServer, 'id' | 'title'>;
  onClose: () => void;
}) {
  const { server, onClose } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(localstackTranslationRef);
  const api = useApi(localstackApiRef);
  const log = usePolledAsync(
    () => api.log(server.id, LOG_LINES),
    [api, server.id],
  );
  const title = t('log.title', { name: server.title || server.id });
  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby="localstack-log-title"
    >
      <DialogTitle id="localstack-log-title">{title}</DialogTitle>
      <DialogContent>
        {log.value?.path && (
          <Typography variant="caption" color="textSecondary" component="p">
            {log.value.truncated
              ? t('log.truncated', {
                  path: log.value.path ?? '',
                  lines: String(LOG_LINES),
                })
              : log.value.path}
          </Typography>
        )}
        {log.loading && !log.value && <Progress />}
        {log.error && <TranslatedErrorPanel error={log.error} />}
        {log.value && log.value.path === null && (
          <Typography>{t('log.noLog')}</Typography>
        )}
        {log.value?.path && log.value.lines.length === 0 && (
          <Typography>{t('log.empty')}</Typography>
        )}
        {log.value && log.value.lines.length > 0 && (
          <Box component="pre" className={classes.log} data-testid="log-text">
            {log.value.lines.join('\n')}
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={log.retry} disabled={log.loading}>
          {t('log.refresh')}
        </Button>
        <Button onClick={onClose} color="primary">
          {t('log.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
