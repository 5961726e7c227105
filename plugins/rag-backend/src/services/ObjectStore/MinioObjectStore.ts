import type { RootConfigService } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { upstreamUnavailable } from '@kubemate/plugin-kubemate-node';
import type { UpstreamStatus } from '@kubemate/plugin-rag-common';
import type { Client, ClientOptions } from 'minio';
import { withTimeout } from '../../lib/timeout';
import type { ObjectStore } from './types';

export interface MinioObjectStoreOptions {
  endPoint: string;
  port?: number;
  useSSL?: boolean;
  accessKey: string;
  secretKey: string;
  /** default kubemate-rag (created when missing) */
  bucket?: string;
  /** per call (default 10000) */
  timeoutMs?: number;
}

const codeOf = (e: unknown) => (e as { code?: string } | null)?.code;

/**
 * {@link ObjectStore} on MinIO (or any S3) through the `minio` client: one bucket, created on
 * first use. Every call has a deadline (`timeoutMs`); failures and timeouts are
 * ServiceUnavailableError naming MinIO; a missing object is a NotFoundError.
 */
export class MinioObjectStore implements ObjectStore {
  private minio?: Client;
  private readonly clientOptions: ClientOptions;
  private readonly bucket: string;
  private readonly timeoutMs: number;
  private readonly upstream: { name: string; url: string };
  private bucketReady?: Promise<void>;

  static fromConfig(config: RootConfigService): MinioObjectStore {
    const c = config.getConfig('kubemate.rag.minio');
    return new MinioObjectStore({
      endPoint: c.getString('endPoint'),
      port: c.getOptionalNumber('port'),
      useSSL: c.getOptionalBoolean('useSSL'),
      accessKey: c.getString('accessKey'),
      secretKey: c.getString('secretKey'),
      bucket: c.getOptionalString('bucket'),
      timeoutMs: c.getOptionalNumber('timeoutMs'),
    });
  }

  constructor(options: MinioObjectStoreOptions) {
    const useSSL = options.useSSL ?? false;
    this.clientOptions = {
      endPoint: options.endPoint,
      port: options.port,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      // a fixed region: no region lookup before the first call
      region: 'us-east-1',
      pathStyle: true,
      retryOptions: { disableRetry: true },
    };
    this.bucket = options.bucket ?? 'kubemate-rag';
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const port = options.port ? `:${options.port}` : '';
    this.upstream = {
      name: 'MinIO',
      url: `${useSSL ? 'https' : 'http'}://${options.endPoint}${port}`,
    };
  }

  /**
   * The MinIO client, created (and `minio` required) at the first call rather than when the
   * plugin loads: the client and its XML/S3 dependencies are not held by a backend whose users
   * never upload a document (bench/memory.mjs). The constructor makes no connection either way.
   */
  private get client(): Client {
    if (!this.minio) {
      const { Client: MinioClient } =
        require('minio') as typeof import('minio');
      this.minio = new MinioClient(this.clientOptions);
    }
    return this.minio;
  }

  /** One MinIO call with the deadline; failures → 503 naming MinIO (NotFoundError for a missing key). */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(fn(), this.timeoutMs, () =>
        upstreamUnavailable(
          this.upstream,
          `${what} timed out after ${this.timeoutMs} ms`,
        ),
      );
    } catch (e) {
      if (e instanceof ServiceUnavailableError || e instanceof NotFoundError) {
        throw e;
      }
      if (codeOf(e) === 'NoSuchKey' || codeOf(e) === 'NotFound') {
        throw new NotFoundError(`MinIO has no object ${what}`);
      }
      const message = (e as Error)?.message ?? String(e);
      throw upstreamUnavailable(
        this.upstream,
        `${what}: ${codeOf(e) ? `${codeOf(e)} ` : ''}${message}`.trim(),
      );
    }
  }

  private ensureBucket(): Promise<void> {
    if (!this.bucketReady) {
      this.bucketReady = this.call(`bucket ${this.bucket}`, async () => {
        if (await this.client.bucketExists(this.bucket)) return;
        try {
          await this.client.makeBucket(this.bucket, 'us-east-1');
        } catch (e) {
          // another replica made it meanwhile
          if (
            codeOf(e) !== 'BucketAlreadyOwnedByYou' &&
            codeOf(e) !== 'BucketAlreadyExists'
          ) {
            throw e;
          }
        }
      });
      this.bucketReady.catch(() => {
        this.bucketReady = undefined;
      });
    }
    return this.bucketReady;
  }

  async put(
    key: string,
    body: Buffer,
    meta: { contentType: string; sha256: string },
  ): Promise<void> {
    await this.ensureBucket();
    await this.call(`put ${key}`, () =>
      this.client.putObject(this.bucket, key, body, body.length, {
        'Content-Type': meta.contentType,
        'X-Amz-Meta-Sha256': meta.sha256,
      }),
    );
  }

  async get(key: string): Promise<Buffer> {
    await this.ensureBucket();
    return this.call(key, async () => {
      const stream = await this.client.getObject(this.bucket, key);
      const parts: Buffer[] = [];
      for await (const part of stream) parts.push(Buffer.from(part));
      return Buffer.concat(parts);
    });
  }

  async delete(key: string): Promise<void> {
    await this.ensureBucket();
    await this.call(`delete ${key}`, () =>
      this.client.removeObject(this.bucket, key),
    );
  }

  private async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.client.listObjectsV2(
      this.bucket,
      prefix,
      true,
    )) {
      if (item.name) keys.push(item.name);
    }
    return keys;
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.ensureBucket();
    await this.call(`delete ${prefix}*`, async () => {
      const keys = await this.keys(prefix);
      // the multi-object delete takes at most 1000 keys per request
      for (let i = 0; i < keys.length; i += 1000) {
        await this.client.removeObjects(this.bucket, keys.slice(i, i + 1000));
      }
    });
  }

  /** The keys under a prefix (tests and diagnostics). */
  async list(prefix: string): Promise<string[]> {
    await this.ensureBucket();
    return this.call(`list ${prefix}*`, () => this.keys(prefix));
  }

  async health(): Promise<UpstreamStatus> {
    const started = Date.now();
    try {
      await this.call(`bucket ${this.bucket}`, () =>
        this.client.bucketExists(this.bucket),
      );
      return {
        name: 'minio',
        ok: true,
        detail: `bucket ${this.bucket} at ${this.upstream.url}`,
        latencyMs: Date.now() - started,
      };
    } catch (e) {
      return {
        name: 'minio',
        ok: false,
        detail: (e as Error).message,
        latencyMs: Date.now() - started,
      };
    }
  }
}
