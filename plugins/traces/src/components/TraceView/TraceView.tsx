import useAsync from 'react-use/esm/useAsync';
import { Button } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { tracesApiRef } from '../../api/TracesApi';
import { basePath } from '../../lib/tags';
import { Waterfall } from '../Waterfall';

/** One trace as a waterfall, with a link to its logs and a way back to the search. */
export function TraceView(props: { traceId: string; onBack: () => void }) {
  const api = useApi(tracesApiRef);
  const trace = useAsync(() => api.trace(props.traceId), [api, props.traceId]);
  return (
    <InfoCard
      title="Trace"
      action={<Button onClick={props.onBack}>Back to search</Button>}
    >
      {trace.loading && <Progress />}
      {trace.error && <ResponseErrorPanel error={trace.error} />}
      {trace.value && (
        <Waterfall
          trace={trace.value}
          logsLink={`${basePath()}/logs?traceId=${props.traceId}`}
        />
      )}
    </InfoCard>
  );
}
