import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { RagStatus } from '@kubemate/plugin-rag-common';

/** GET /status: each upstream's health (with latency), the models and the upload limits. */
export interface StatusService {
  status(credentials: BackstageCredentials): Promise<RagStatus>;
}
