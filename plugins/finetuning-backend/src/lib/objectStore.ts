/*
 * The fine-tuning bucket in MinIO (any S3) through the `minio` client: datasets and adapters.
 * Every call has a deadline; failures are a 503 naming MinIO, a missing object a 404.
 */
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { upstreamUnavailable } from '@kubemate/plugin-kubemate-node';
import type { Client, ClientOptions } from 'minio';
import { Readable } from 'node:stream';

export interface ObjectStoreOptions {
  endPoint: string;
  port?: number;
  useSSL?: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region?: string;
  timeoutMs?: number;
}

const codeOf = (e: unknown) => (e as { code?: string } | null)?.code;
const MISSING = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);

export class FinetuningObjectStore {
  private minio?: Client;
  private readonly clientOptions: ClientOptions;
  readonly bucket: string;
  private readonly timeoutMs: number;
  private readonly upstream: { name: string; url: string };
  private bucketReady?: Promise<void>;

  constructor(options: ObjectStoreOptions) {
    const useSSL = options.useSSL ?? false;
    this.clientOptions = {
      endPoint: options.endPoint,
      port: options.port,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region ?? 'us-east-1',
      pathStyle: true,
      retryOptions: { disableRetry: true },
    };
    this.bucket = options.bucket;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    const port = options.port ? `:${options.port}` : '';
    this.upstream = {
      name: 'MinIO',
      url: `${useSSL ? 'https' : 'http'}://${options.endPoint}${port}`,
    };
  }

  /**
   * The MinIO client, created (and `minio` required) at the first call rather than when the
   * plugin loads, so a backend that never touches a dataset does not hold the client and its
   * dependencies (bench/memory.mjs). The constructor makes no connection either way.
   */
  private get client(): Client {
    if (!this.minio) {
      const { Client: MinioClient } =
        require('minio') as typeof import('minio');
      this.minio = new MinioClient(this.clientOptions);
    }
    return this.minio;
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  /** The key of an `s3://<bucket>/<key>` URI of this bucket (undefined for another bucket). */
  keyOf(uri: string): string | undefined {
    const prefix = `s3://${this.bucket}/`;
    return uri.startsWith(prefix) ? uri.slice(prefix.length) : undefined;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ServiceUnavailableError(
              `MinIO at ${this.upstream.url} did not answer within ${this.timeoutMs} ms (${what})`,
            ),
          ),
        this.timeoutMs,
      );
      timer.unref?.();
    });
    try {
      return await Promise.race([fn(), deadline]);
    } catch (e) {
      if (e instanceof ServiceUnavailableError) throw e;
      if (MISSING.has(codeOf(e) ?? '')) {
        throw new NotFoundError(`MinIO: ${what} not found`);
      }
      throw upstreamUnavailable(this.upstream, e);
    } finally {
      clearTimeout(timer);
    }
  }

  private ensureBucket(): Promise<void> {
    if (!this.bucketReady) {
      this.bucketReady = this.call(`bucket ${this.bucket}`, async () => {
        if (await this.client.bucketExists(this.bucket)) return;
        try {
          await this.client.makeBucket(this.bucket);
        } catch (e) {
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

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.ensureBucket();
    await this.call(`put ${key}`, () =>
      this.client.putObject(this.bucket, key, body, body.length, {
        'Content-Type': contentType,
      }),
    );
  }

  /** The object as a stream (the deadline covers opening it). */
  async stream(key: string): Promise<Readable> {
    await this.ensureBucket();
    return this.call(key, () => this.client.getObject(this.bucket, key));
  }

  async delete(key: string): Promise<void> {
    await this.ensureBucket();
    await this.call(`delete ${key}`, () =>
      this.client.removeObject(this.bucket, key),
    );
  }

  async exists(key: string): Promise<boolean> {
    await this.ensureBucket();
    try {
      await this.call(key, () => this.client.statObject(this.bucket, key));
      return true;
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
  }
}
