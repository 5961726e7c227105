import { useEffect, useState } from 'react';
import {
  Box,
  Drawer,
  FormControlLabel,
  IconButton,
  MenuItem,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import { LogViewer, Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import { useApi } from '@backstage/core-plugin-api';
import type { PodSummary } from '@kubemate/plugin-clusters-common';
import { clustersApiRef } from '../../api/ClustersApi';
import { clustersTranslationRef } from '../../translation';

/** Followed logs are capped so a chatty pod cannot exhaust the browser's memory. */
const MAX_FOLLOW_CHARS = 2_000_000;

export function LogsDrawer(props: {
  entityRef: string;
  cluster: string;
  pod: PodSummary;
  onClose: () => void;
}) {
  const api = useApi(clustersApiRef);
  const { t } = useTranslationRef(clustersTranslationRef);
  const { pod } = props;
  const [container, setContainer] = useState(pod.containers[0]?.name ?? '');
  const [previous, setPrevious] = useState(false);
  const [follow, setFollow] = useState(false);
  const [text, setText] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();

  useEffect(() => {
    const target = {
      entityRef: props.entityRef,
      cluster: props.cluster,
      namespace: pod.namespace,
      pod: pod.name,
    };
    const options = { container, previous, tailLines: 1000 };
    const abort = new AbortController();
    setText(undefined);
    setError(undefined);
    const run =
      follow && !previous
        ? api
            .followPodLogs(
              target,
              options,
              chunk =>
                setText(prev => {
                  const next = (prev ?? '') + chunk;
                  return next.length > MAX_FOLLOW_CHARS
                    ? next.slice(-MAX_FOLLOW_CHARS)
                    : next;
                }),
              abort.signal,
            )
            .then(() => setText(prev => prev ?? ''))
        : api.getPodLogs(target, options).then(setText);
    run.catch(e => {
      if (!abort.signal.aborted) setError(e);
    });
    return () => abort.abort();
  }, [
    api,
    props.entityRef,
    props.cluster,
    pod.namespace,
    pod.name,
    container,
    previous,
    follow,
  ]);

  return (
    <Drawer anchor="right" open onClose={props.onClose}>
      <Box
        width="70vw"
        p={2}
        display="flex"
        flexDirection="column"
        height="100%"
      >
        <Box display="flex" alignItems="center" mb={1} style={{ gap: 16 }}>
          <Typography variant="h6" style={{ flexGrow: 1 }}>
            {t('logs.title', { pod: pod.name })}
          </Typography>
          <TextField
            select
            size="small"
            label={t('logs.container')}
            value={container}
            onChange={e => setContainer(e.target.value as string)}
          >
            {pod.containers.map(c => (
              <MenuItem key={c.name} value={c.name}>
                {c.name}
              </MenuItem>
            ))}
          </TextField>
          <FormControlLabel
            control={
              <Switch checked={previous} onChange={(_, v) => setPrevious(v)} />
            }
            label={t('logs.previous')}
          />
          <FormControlLabel
            control={
              <Switch
                checked={follow}
                disabled={previous}
                onChange={(_, v) => setFollow(v)}
              />
            }
            label={t('logs.follow')}
          />
          <IconButton aria-label={t('logs.close')} onClick={props.onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        <Box flexGrow={1} minHeight={400}>
          {error && <TranslatedErrorPanel error={error} />}
          {!error && text === undefined && <Progress />}
          {!error && text !== undefined && (
            <LogViewer text={text || t('logs.empty')} />
          )}
        </Box>
      </Box>
    </Drawer>
  );
}
