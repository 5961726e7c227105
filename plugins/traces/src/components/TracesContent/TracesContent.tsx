import { useState } from 'react';
import { Grid, Typography } from '@material-ui/core';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
} from '@backstage/core-components';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { tracesTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(tracesTranslationRef);

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
        <InfoCard title={t('content.title')}>
          <TraceSearchForm search={search} />
          {results.loading && !results.value && <Progress />}
          {results.error && <TranslatedErrorPanel error={results.error} />}
          {results.value && results.value.traces.length === 0 && (
            <Typography color="textSecondary">{t('content.empty')}</Typography>
          )}
          {results.value && results.value.traces.length > 0 && (
            <TraceList traces={results.value.traces} onOpen={setTraceId} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title={t('content.serviceGraph')}>
          <ServiceGraph entityRef={entityRef} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
