import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  LocalStackLogResponse,
  LocalStackServersResponse,
} from '@kubemate/plugin-localstack-common';

/** The local dev stack as its progress file tells it; every call checks `localstack.server.read`. */
export interface LocalStackService {
  /** The servers and whether a `stack.sh build/up` is still running. */
  servers(
    credentials: BackstageCredentials,
  ): Promise<LocalStackServersResponse>;

  /**
   * The last `lines` lines of the log the progress file names for server `id` — only under the
   * stack's directories (403 otherwise); 404 for a server the file does not list.
   */
  log(
    credentials: BackstageCredentials,
    id: string,
    lines: number,
  ): Promise<LocalStackLogResponse>;
}
