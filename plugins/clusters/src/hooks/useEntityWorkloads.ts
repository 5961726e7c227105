import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { clustersApiRef } from '../api/ClustersApi';

/** The entity's workloads on every cluster, with `retry` to read them again. */
export function useEntityWorkloads(entityRef: string) {
  const api = useApi(clustersApiRef);
  return useAsyncRetry(
    () => api.getEntityWorkloads(entityRef),
    [api, entityRef],
  );
}
