import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Progress, WarningPanel } from '@backstage/core-components';
import {
  Box,
  FormControlLabel,
  Switch,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { pipelinesApiRef, RunRef } from '../../api/PipelinesApi';
import { pipelinesTranslationRef } from '../../translation';

const FOLLOW_INTERVAL_MS = 2000;

const useStyles = makeStyles(theme => ({
  log: {
    maxHeight: 360,
    overflow: 'auto',
    margin: 0,
    padding: theme.spacing(1),
    background: theme.palette.type === 'dark' ? '#111' : '#f5f5f5',
    fontFamily: 'monospace',
    fontSize: 12,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  },
}));

/**
 * A step's log. While the step runs and "Follow" is on (the default) it is re-read every 2 s and
 * the view stays at the end; when the controller reports the step finished it is read once more
 * (the last lines) and following stops by itself.
 */
export function StepLog(props: {
  run: RunRef;
  taskRun: string;
  step: string;
  running: boolean;
}) {
  const { run, taskRun, step, running } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const errorMessage = useErrorMessage();
  const api = useApi(pipelinesApiRef);
  const [follow, setFollow] = useState(true);
  const [text, setText] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [pre, setPre] = useState<HTMLPreElement | null>(null);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const log = await api.stepLog(run, taskRun, step);
        if (cancelled) return;
        setText(log);
        setError(undefined);
      } catch (e) {
        if (!cancelled) setError(e as Error);
      }
      if (!cancelled && follow && running)
        timer = setTimeout(load, FOLLOW_INTERVAL_MS);
    };
    load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, run, taskRun, step, follow, running]);

  useEffect(() => {
    if (follow && pre) pre.scrollTop = pre.scrollHeight;
  }, [text, follow, pre]);

  return (
    <Box mt={1}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Typography variant="subtitle2">
          {t('stepLog.title', { taskRun, step })}
        </Typography>
        <FormControlLabel
          control={
            <Switch
              checked={follow && running}
              disabled={!running}
              onChange={e => setFollow(e.target.checked)}
              color="primary"
              size="small"
            />
          }
          label={running ? t('stepLog.follow') : t('stepLog.followFinished')}
        />
      </Box>
      {error && (
        <WarningPanel
          severity="error"
          title={t('stepLog.readFailed')}
          message={errorMessage(error)}
        />
      )}
      {text === undefined && !error && <Progress />}
      {text !== undefined && (
        <pre
          ref={setPre}
          className={classes.log}
          aria-label={t('stepLog.ariaLabel', { step })}
        >
          {text || t('stepLog.empty')}
        </pre>
      )}
    </Box>
  );
}
