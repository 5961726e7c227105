import type { UpstreamStatus } from '@kubemate/plugin-rag-common';

/**
 * The originals in MinIO (`minio` npm client): one bucket, keys `<collection>/<document id>/<file
 * name>`. Every call has a timeout; failures are ServiceUnavailableError naming MinIO.
 */
export interface ObjectStore {
  put(
    key: string,
    body: Buffer,
    meta: { contentType: string; sha256: string },
  ): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
  health(): Promise<UpstreamStatus>;
}
