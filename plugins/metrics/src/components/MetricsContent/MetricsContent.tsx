import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
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
  useTimeRange,
} from '@kubemate/plugin-kubemate-react';
import { Threshold, TimeSeriesChart } from '../charts/TimeSeriesChart';
import { PromQLExplorer } from '../explorer/PromQLExplorer';

/** Request and limit lines per cluster/namespace; one line when they are equal. */
export function thresholdsOf(r: ResourceUsageResult): Threshold[] {
  const lines: Threshold[] = [];
  const keys = new Set([...Object.keys(r.requests), ...Object.keys(r.limits)]);
  for (const key of [...keys].sort()) {
    const request = r.requests[key] ?? 0;
    const limit = r.limits[key] ?? 0;
    if (request > 0 && request === limit) {
      lines.push({
        label: `request = limit ${key}`,
        value: limit,
        kind: 'limit',
      });
      continue;
    }
    if (request > 0)
      lines.push({ label: `request ${key}`, value: request, kind: 'request' });
    if (limit > 0)
      lines.push({ label: `limit ${key}`, value: limit, kind: 'limit' });
  }
  return lines;
}

function resolutionText(r: GoldenSignalsResponse): string {
  const res =
    r.maxSourceResolution === '0s'
      ? 'raw samples'
      : `${r.maxSourceResolution} downsampled`;
  const scope =
    r.scope === 'all'
      ? 'all namespaces'
      : `your namespaces ${r.scope.join(', ')}`;
  return `step ${r.step}s · ${res} · ${scope} · selector {${r.selector}}`;
}

function GoldenSignals(props: { data: GoldenSignalsResponse }) {
  const { data } = props;
  return (
    <Grid container spacing={2}>
      {data.signals.map(s => (
        <Grid item xs={12} md={6} key={s.signal}>
          <InfoCard
            title={s.title}
            subheader={
              s.source === 'annotation'
                ? 'Query from the entity annotation'
                : undefined
            }
            noPadding
          >
            <Box p={1}>
              {s.error ? (
                <WarningPanel
                  severity="error"
                  title={`${s.title} could not be loaded`}
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
      ))}
      {data.resources.map(r => {
        const title =
          r.resource === 'cpu'
            ? 'CPU usage vs requests/limits'
            : 'Memory usage vs requests/limits';
        return (
          <Grid item xs={12} md={6} key={r.resource}>
            <InfoCard title={title} noPadding>
              <Box p={1}>
                {r.error && (
                  <WarningPanel
                    severity="warning"
                    title={`${title}: incomplete`}
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
                  thresholds={thresholdsOf(r)}
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
            <Tab label="Golden signals" />
            <Tab label="Explore (PromQL)" />
          </Tabs>
          <TimeRangeControls state={time} loading={signals.loading} />
        </Box>
        {data && (
          <Typography variant="caption" color="textSecondary">
            {resolutionText(data)}
          </Typography>
        )}
      </Grid>
      {tab === 0 && (
        <>
          <Grid item xs={12}>
            {signals.error && <ResponseErrorPanel error={signals.error} />}
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
          <InfoCard title="PromQL explorer">
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
