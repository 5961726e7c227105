import { useState } from 'react';
import { Grid, Typography } from '@material-ui/core';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  TimeRangeControls,
  TranslatedErrorPanel,
  useTimeRange,
} from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { logsTranslationRef } from '../../translation';
import { entityLogsMatchers, LogLine } from '@kubemate/plugin-logs-common';
import { logsApiRef } from '../../api/LogsApi';
import { useLiveTail, useLogQuery, useLogsResult } from '../../hooks';
import { LineDetails } from '../LineDetails';
import { LogList } from '../LogList';
import { QueryToolbar } from '../QueryToolbar';
import { VolumeChart } from '../VolumeChart';

export { TAIL_KEEP } from '../../hooks';

/** Entity tab "Logs": query builder or raw LogQL, volume, virtualized lines, live tail, details. */
export function LogsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const matchers = entityLogsMatchers(entity);
  const api = useApi(logsApiRef);
  const { t } = useTranslationRef(logsTranslationRef);
  const time = useTimeRange('1h');
  const logQuery = useLogQuery(matchers);
  const { query } = logQuery;
  const [error, setError] = useState<Error>();
  const { tailing, setTailing, tailLines, tailNote } = useLiveTail({
    query,
    entityRef,
    onError: setError,
  });
  const { result, loading, run } = useLogsResult({
    query,
    range: time.range,
    entityRef,
    paused: tailing,
    setError,
  });
  const [selected, setSelected] = useState<LogLine>();

  if (!matchers) {
    return (
      <MissingAnnotationEmptyState
        annotation={['backstage.io/kubernetes-id', 'kubemate.io/logs-selector']}
      />
    );
  }

  const download = async () => {
    try {
      const blob = await api.download({ query, ...time.range, entityRef });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${entity.metadata.name}-logs.txt`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e as Error);
    }
  };

  const lines = tailing ? tailLines : result.logs?.lines ?? [];

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <InfoCard
          title={t('content.title')}
          subheader={
            result.logs
              ? t('content.sentToLoki', { query: result.logs.effectiveQuery })
              : undefined
          }
        >
          <QueryToolbar
            logQuery={logQuery}
            loading={loading}
            tailing={tailing}
            onTailingChange={setTailing}
            onRun={run}
            onDownload={download}
          />
          <TimeRangeControls state={time} loading={loading} />
          {error && <TranslatedErrorPanel error={error} />}
          {!tailing && result.volume && (
            <VolumeChart series={result.volume.series} />
          )}
          {tailing && (
            <Typography variant="body2" color="textSecondary" role="status">
              {tailNote
                ? t('content.liveTailNote', {
                    n: String(tailLines.length),
                    note: tailNote,
                  })
                : t('content.liveTail', { n: String(tailLines.length) })}
            </Typography>
          )}
          {!tailing && tailNote && (
            <Typography variant="body2" color="textSecondary" role="status">
              {tailNote}
            </Typography>
          )}
          {loading && !result.logs && <Progress />}
          {!tailing && result.logs && (
            <Typography variant="caption" color="textSecondary">
              {result.logs.limited
                ? t('content.linesLimited', {
                    n: String(result.logs.lines.length),
                  })
                : t('content.lines', { n: String(result.logs.lines.length) })}
            </Typography>
          )}
          {(tailing || result.logs) && (
            <LogList lines={lines} selected={selected} onSelect={setSelected} />
          )}
        </InfoCard>
      </Grid>
      {selected && (
        <LineDetails
          line={selected}
          entityRef={entityRef}
          traceLink={id =>
            `${window.location.pathname.replace(
              /\/logs\/?$/,
              '',
            )}/traces?traceId=${id}`
          }
          onClose={() => setSelected(undefined)}
        />
      )}
    </Grid>
  );
}
