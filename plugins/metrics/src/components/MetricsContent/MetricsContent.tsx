import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Grid, Tab, Tabs, Typography } from '@material-ui/core';
import type {
  GoldenSignalsResponse,
  ResourceUsageResult,
} from '@kubemate/plugin-metrics-common';
import { metricsApiRef } from '../../api/MetricsApi';
import { AlertsCard } from '../alerts/AlertsCard';
import {
  TimeRangeControls,
  TranslatedErrorPanel,
  useTimeRange,
} from '@kubemate/plugin-kubemate-react';
import { metricsTranslationRef } from '../../translation';
import { Threshold, TimeSeriesChart } from '../charts/TimeSeriesChart';
import { PromQLExplorer } from '../explorer/PromQLExplorer';

type T = TranslationFunction<typeof metricsTranslationRef.T>;

/** The English threshold labels (tests, and where no translation is at hand). */
const ENGLISH_THRESHOLD_LABELS = {
  requestIsLimit: (key: string) => `request = limit ${key}`,
  request: (key: string) => `request ${key}`,
  limit: (key: string) => `limit ${key}`,
};

function thresholdLabels(t: T): typeof ENGLISH_THRESHOLD_LABELS {
  return {
    requestIsLimit: key => t('content.thresholds.requestIsLimit', { key }),
    request: key => t('content.thresholds.request', { key }),
    limit: key => t('content.thresholds.limit', { key }),
  };
}

/** Request and limit lines per cluster/namespace; one line when they are equal. */
export function thresholdsOf(
  r: ResourceUsageResult,
  labels = ENGLISH_THRESHOLD_LABELS,
): Threshold[] {
  const lines: Threshold[] = [];
  const keys = new Set([...Object.keys(r.requests), ...Object.keys(r.limits)]);
  for (const key of [...keys].sort()) {
    const request = r.requests[key] ?? 0;
    const limit = r.limits[key] ?? 0;
    if (request > 0 && request === limit) {
      lines.push({
        label: labels.requestIsLimit(key),
        value: limit,
        kind: 'limit',
      });
      continue;
    }
    if (request > 0)
      lines.push({
        label: labels.request(key),
        value: request,
        kind: 'request',
      });
    if (limit > 0)
      lines.push({ label: labels.limit(key), value: limit, kind: 'limit' });
  }
  return lines;
}

function resolutionText(r: GoldenSignalsResponse, t: T): string {
  const resolution =
    r.maxSourceResolution === '0s'
      ? t('content.rawSamples')
      : t('content.downsampled', { resolution: r.maxSourceResolution });
  const scope =
    r.scope === 'all'
      ? t('content.allNamespaces')
      : t('content.yourNamespaces', { namespaces: r.scope.join(', ') });
  return t('content.resolution', {
    step: String(r.step),
    resolution,
    scope,
    selector: `{${r.selector}}`,
  });
}

function GoldenSignals(props: { data: GoldenSignalsResponse }) {
  const { data } = props;
  const { t } = useTranslationRef(metricsTranslationRef);
  return (
    <Grid container spacing={2}>
      {data.signals.map(signal => {
        const s = { ...signal, title: t(`content.signals.${signal.signal}`) };
        return (
          <Grid item xs={12} md={6} key={s.signal}>
            <InfoCard
              title={s.title}
              subheader={
                s.source === 'annotation'
                  ? t('content.fromAnnotation')
                  : undefined
              }
              noPadding
            >
              <Box p={1}>
                {s.error ? (
                  <WarningPanel
                    severity="error"
                    title={t('content.couldNotLoad', { title: s.title })}
                    message={s.error}
                  />
                ) : (
                  <TimeSeriesChart
                    title={s.title}
                    series={s.series}
                    unit={s.unit}
                    start={data.start}
                    end={data.end}
                    step={data.step}
                  />
                )}
              </Box>
            </InfoCard>
          </Grid>
        );
      })}
      {data.resources.map(r => {
        const title =
          r.resource === 'cpu'
            ? t('content.cpuTitle')
            : t('content.memoryTitle');
        return (
          <Grid item xs={12} md={6} key={r.resource}>
            <InfoCard title={title} noPadding>
              <Box p={1}>
                {r.error && (
                  <WarningPanel
                    severity="warning"
                    title={t('content.incomplete', { title })}
                    message={r.error}
                  />
                )}
                <TimeSeriesChart
                  title={title}
                  series={r.usage}
                  unit={r.unit}
                  start={data.start}
                  end={data.end}
                  step={data.step}
                  thresholds={thresholdsOf(r, thresholdLabels(t))}
                />
              </Box>
            </InfoCard>
          </Grid>
        );
      })}
    </Grid>
  );
}

/** Entity tab "Metrics": golden signals, resource usage, alerts and a PromQL explorer. */
export function MetricsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(metricsApiRef);
  const time = useTimeRange('1h');
  const [tab, setTab] = useState(0);
  const { t } = useTranslationRef(metricsTranslationRef);
  const signals = useAsync(
    () => api.goldenSignals(entityRef, time.range),
    [api, entityRef, time.range],
  );
  const data = signals.value;

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          flexWrap="wrap"
        >
          <Tabs
            value={tab}
            onChange={(_, v) => setTab(v)}
            indicatorColor="primary"
          >
            <Tab label={t('content.tabs.golden')} />
            <Tab label={t('content.tabs.explore')} />
          </Tabs>
          <TimeRangeControls state={time} loading={signals.loading} />
        </Box>
        {data && (
          <Typography variant="caption" color="textSecondary">
            {resolutionText(data, t)}
          </Typography>
        )}
      </Grid>
      {tab === 0 && (
        <>
          <Grid item xs={12}>
            {signals.error && <TranslatedErrorPanel error={signals.error} />}
            {!signals.error && !data && <Progress />}
            {!signals.error && data && <GoldenSignals data={data} />}
          </Grid>
          <Grid item xs={12}>
            <AlertsCard entityRef={entityRef} reloadKey={time.range} />
          </Grid>
        </>
      )}
      {tab === 1 && (
        <Grid item xs={12}>
          <InfoCard title={t('content.explorerTitle')}>
            <PromQLExplorer
              range={time.range}
              initialQuery={`sum by (namespace) (rate(http_server_requests_total{${
                data?.selector ?? `service="${entity.metadata.name}"`
              }}[5m]))`}
            />
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
}
