import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  LocalStackLogResponse,
  LocalStackServersResponse,
} from '@kubemate/plugin-localstack-common';

/** The localstack backend (`/api/localstack`). */
export interface LocalStackApi {
  servers(): Promise<LocalStackServersResponse>;
  log(id: string, lines?: number): Promise<LocalStackLogResponse>;
}

export const localstackApiRef = createApiRef<LocalStackApi>({
  id: 'plugin.localstack.api',
});
