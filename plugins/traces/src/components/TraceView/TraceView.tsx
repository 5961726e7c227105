import useAsync from 'react-use/esm/useAsync';
import { Button } from '@material-ui/core';
import { InfoCard, Progress } from '@backstage/core-components';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { tracesTranslationRef } from '../../translation';
import { useApi } from '@backstage/core-plugin-api';
import { tracesApiRef } from '../../api/TracesApi';
import { basePath } from '../../lib/tags';
import { Waterfall } from '../Waterfall';

/** One trace as a waterfall, with a link to its logs and a way back to the search. */
export function TraceView(props: { traceId: string; onBack: () => void }) {
  const api = useApi(tracesApiRef);
  const { t } = useTranslationRef(tracesTranslationRef);
  const trace = useAsync(() => api.trace(props.traceId), [api, props.traceId]);
  return (
    <InfoCard
      title={t('view.title')}
      action={<Button onClick={props.onBack}>{t('view.back')}</Button>}
    >
      {trace.loading && <Progress />}
      {trace.error && <TranslatedErrorPanel error={trace.error} />}
      {trace.value && (
        <Waterfall
          trace={trace.value}
          logsLink={`${basePath()}/logs?traceId=${props.traceId}`}
        />
      )}
    </InfoCard>
  );
}
