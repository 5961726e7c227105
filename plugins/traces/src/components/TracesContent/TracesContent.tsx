import { useState } from 'react';
import { Grid, Typography } from '@material-ui/core';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isTracesAvailable } from '@kubemate/plugin-traces-common';
import { useTraceSearch } from '../../hooks/useTraceSearch';
import { ServiceGraph } from '../ServiceGraph';
import { TraceList } from '../TraceList';
import { TraceSearchForm } from '../TraceSearchForm';
import { TraceView } from '../TraceView';

export { parseTags } from '../../lib/tags';

/** Entity tab "Traces": search, waterfall, service graph; `?traceId=` opens a trace. */
export function TracesContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [traceId, setTraceId] = useState<string | undefined>(
    () =>
      new URLSearchParams(window.location.search).get('traceId') ?? undefined,
  );
  const search = useTraceSearch(entityRef);
  const { results } = search;

  if (!isTracesAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[
          'backstage.io/kubernetes-id',
          'kubemate.io/traces-service',
        ]}
      />
    );
  }
  if (traceId)
    return <TraceView traceId={traceId} onBack={() => setTraceId(undefined)} />;

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={8}>
        <InfoCard title="Traces">
          <TraceSearchForm search={search} />
          {results.loading && !results.value && <Progress />}
          {results.error && <ResponseErrorPanel error={results.error} />}
          {results.value && results.value.traces.length === 0 && (
            <Typography color="textSecondary">
              No traces match in the namespaces you may read.
            </Typography>
          )}
          {results.value && results.value.traces.length > 0 && (
            <TraceList traces={results.value.traces} onOpen={setTraceId} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Service graph">
          <ServiceGraph entityRef={entityRef} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
