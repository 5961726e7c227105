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
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePolledAsync } from '@kubemate/plugin-kubemate-react';
import type { DevStackServer } from '@kubemate/plugin-localstack-common';
import { localstackApiRef } from '../../api';

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
  const api = useApi(localstackApiRef);
  const log = usePolledAsync(
    () => api.log(server.id, LOG_LINES),
    [api, server.id],
  );
  const title = `Log of ${server.title || server.id}`;
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
            {log.value.path}
            {log.value.truncated ? ` — the last ${LOG_LINES} lines` : ''}
          </Typography>
        )}
        {log.loading && !log.value && <Progress />}
        {log.error && <ResponseErrorPanel error={log.error} />}
        {log.value && log.value.path === null && (
          <Typography>This server names no log.</Typography>
        )}
        {log.value?.path && log.value.lines.length === 0 && (
          <Typography>The log is empty (nothing written yet).</Typography>
        )}
        {log.value && log.value.lines.length > 0 && (
          <Box component="pre" className={classes.log} data-testid="log-text">
            {log.value.lines.join('\n')}
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={log.retry} disabled={log.loading}>
          Refresh
        </Button>
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
