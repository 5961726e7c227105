import type { RootConfigService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ServedModel } from '@kubemate/plugin-finetuning-common';
import {
  upstreamFailed,
  upstreamUnavailable,
  Upstream,
} from '@kubemate/plugin-kubemate-node';
import type { Client } from 'minio';
import type { Ollama } from 'ollama';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BaseDims,
  baseDimsOf,
  checkAdapterConfig,
  checkAgainstBase,
  checkSafetensorsHeader,
} from './adapterCheck';
import {
  ADAPTER_FILES,
  AdapterStatus,
  OllamaModelSummary,
  ServeAdapterRequest,
  ServingService,
  UNTRAINED_MARKER_FILE,
} from './types';

export interface ServingServiceOptions {
  /**
   * the `minio` client of `kubemate.finetuning.storage`, or a function creating it at the first
   * call (so `minio` is not loaded before an adapter is served)
   */
  minio: Client | (() => Client);
  /** for error messages, e.g. http://127.0.0.1:9400 */
  minioUrl: string;
  /** the bucket adapters must be in (`kubemate.finetuning.storage.bucket`); URIs of other buckets are refused */
  bucket?: string;
  /** deadline of one MinIO call (a download included), ms (default 15000) */
  storageTimeoutMs?: number;
  /** e.g. http://127.0.0.1:11434 */
  ollamaBaseUrl: string;
  /** deadline of the blob uploads and of the model creation (the adapter conversion), ms (default 120000) */
  ollamaTimeoutMs?: number;
  /** deadline of Ollama's list/delete, ms (default 10000) */
  ollamaCallTimeoutMs?: number;
  /** largest adapter file accepted, bytes (default 2 GiB) */
  maxAdapterBytes?: number;
}

/** Ollama's model names: `name[:tag]`, letters, digits, `._-`, each part at most 80 characters (Ollama's limit). */
const MODEL_NAME = /^[a-z0-9][a-z0-9._-]{0,79}(:[a-z0-9_][a-z0-9._-]{0,79})?$/;

/** The model name a job is served as by default: `ft-<namespace>-<job name>` (an Ollama name). */
export function servedModelName(
  namespace: string,
  jobName: string,
  prefix = 'ft-',
): string {
  const name = `${prefix}${namespace}-${jobName}`
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 80)
    .replace(/[-.]+$/, '');
  return name;
}

/** Parses `s3://<bucket>/<prefix>/` (the prefix ends with `/`; 400 otherwise). */
export function parseAdapterUri(uri: string): {
  bucket: string;
  prefix: string;
} {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/.exec(uri);
  if (!m) {
    throw new InputError(`adapter URI "${uri}" is not s3://<bucket>/<prefix>/`);
  }
  let prefix = m[2];
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  if (prefix.split('/').some(part => part === '..')) {
    throw new InputError(`adapter URI "${uri}" has a ".." segment`);
  }
  return { bucket: m[1], prefix };
}

const codeOf = (e: unknown) => (e as { code?: string } | null)?.code;
const messageOf = (e: unknown) => (isError(e) ? e.message : String(e));
const isMissing = (e: unknown) =>
  ['NotFound', 'NoSuchKey'].includes(codeOf(e) ?? '');
const shortName = (name: string) => name.replace(/:latest$/, '');

/** Rejects with `onTimeout()` if `promise` has not settled within `ms`, then runs `cancel`. */
async function deadline<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
  cancel?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cancel?.();
      reject(onTimeout());
    }, ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

interface LocalFile {
  path: string;
  digest: string;
  size: number;
}

/**
 * {@link ServingService} on MinIO (the `minio` client the backend is configured with) and Ollama:
 * the adapter files are streamed from MinIO into a temporary directory (hashed on the way), uploaded
 * to Ollama as blobs (skipped when Ollama has them) and the model is created with
 * `POST /api/create {model, from, adapters}` (Ollama converts the PEFT safetensors adapter to a GGUF
 * LoRA for the base's architecture). Every call has a deadline; failures name MinIO or Ollama.
 */
export class DefaultServingService implements ServingService {
  private minioClient?: Client;
  private readonly createMinio: () => Client;
  private readonly minioUpstream: Upstream;
  private readonly bucket?: string;
  private readonly storageTimeoutMs: number;
  private readonly ollama: Upstream;
  private readonly ollamaTimeoutMs: number;
  private readonly ollamaCallTimeoutMs: number;
  private readonly maxAdapterBytes: number;
  private ollamaClient?: Ollama;

  /** From `kubemate.finetuning.storage` and `kubemate.finetuning.ollama` (see config.d.ts). */
  static fromConfig(
    config: RootConfigService,
    options: { minio?: Client } = {},
  ): DefaultServingService {
    const storage = config.getConfig('kubemate.finetuning.storage');
    const ollama = config.getConfig('kubemate.finetuning.ollama');
    const endPoint = storage.getString('endPoint');
    const port = storage.getOptionalNumber('port');
    const useSSL = storage.getOptionalBoolean('useSSL') ?? false;
    const accessKey = storage.getString('accessKey');
    const secretKey = storage.getString('secretKey');
    const region = storage.getOptionalString('region') ?? 'us-east-1';
    const minio =
      options.minio ??
      (() => {
        const { Client: MinioClient } =
          require('minio') as typeof import('minio');
        return new MinioClient({
          endPoint,
          port,
          useSSL,
          accessKey,
          secretKey,
          region,
          pathStyle: true,
          retryOptions: { disableRetry: true },
        });
      });
    return new DefaultServingService({
      minio,
      minioUrl: `${useSSL ? 'https' : 'http'}://${endPoint}${
        port ? `:${port}` : ''
      }`,
      bucket: storage.getOptionalString('bucket') ?? 'kubemate-finetuning',
      storageTimeoutMs: storage.getOptionalNumber('timeoutMs'),
      ollamaBaseUrl: ollama.getString('baseUrl'),
      ollamaTimeoutMs: ollama.getOptionalNumber('timeoutMs'),
    });
  }

  constructor(options: ServingServiceOptions) {
    const minio = options.minio;
    this.createMinio = typeof minio === 'function' ? minio : () => minio;
    this.minioUpstream = { name: 'MinIO', url: options.minioUrl };
    this.bucket = options.bucket;
    this.storageTimeoutMs = options.storageTimeoutMs ?? 15_000;
    const url = options.ollamaBaseUrl.replace(/\/+$/, '');
    this.ollamaTimeoutMs = options.ollamaTimeoutMs ?? 120_000;
    this.ollamaCallTimeoutMs = options.ollamaCallTimeoutMs ?? 10_000;
    this.ollama = { name: 'Ollama', url };
    this.maxAdapterBytes = options.maxAdapterBytes ?? 2 * 1024 ** 3;
  }

  /** The MinIO client, created at the first call (see {@link ServingServiceOptions.minio}). */
  private get minio(): Client {
    this.minioClient ??= this.createMinio();
    return this.minioClient;
  }

  /**
   * The `ollama` client, created (and `ollama` required) at the first call rather than when the
   * plugin loads (bench/memory.mjs).
   */
  private get client(): Ollama {
    if (!this.ollamaClient) {
      const { Ollama: OllamaClient } =
        require('ollama') as typeof import('ollama');
      this.ollamaClient = new OllamaClient({
        host: this.ollama.url,
        fetch: this.timedFetch,
      });
    }
    return this.ollamaClient;
  }

  /** The `ollama` client's fetch: the creation gets the long deadline, every other call the short one. */
  private readonly timedFetch: typeof fetch = (input, init) => {
    const path = new URL(
      typeof input === 'string' || input instanceof URL ? input : input.url,
    ).pathname;
    const ms =
      path === '/api/create' ? this.ollamaTimeoutMs : this.ollamaCallTimeoutMs;
    const timeout = AbortSignal.timeout(ms);
    return fetch(input, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
    });
  };

  // ------------------------------------------------------------------------------- MinIO

  /** One MinIO call with the deadline; failures → 503 naming MinIO (missing objects rethrown as is). */
  private async storage<T>(
    what: string,
    call: () => Promise<T>,
    cancel?: () => void,
  ): Promise<T> {
    try {
      return await deadline(
        call(),
        this.storageTimeoutMs,
        () =>
          upstreamUnavailable(
            this.minioUpstream,
            `${what}: no answer within ${this.storageTimeoutMs} ms`,
          ),
        cancel,
      );
    } catch (e) {
      if (e instanceof ServiceUnavailableError || isMissing(e)) throw e;
      throw upstreamUnavailable(
        this.minioUpstream,
        `${what}: ${codeOf(e) ? `${codeOf(e)} ` : ''}${messageOf(e)}`,
      );
    }
  }

  private checkBucket(uri: string) {
    const parsed = parseAdapterUri(uri);
    if (this.bucket && parsed.bucket !== this.bucket) {
      throw new InputError(
        `adapter URI "${uri}" is not in the fine-tuning bucket ${this.bucket}`,
      );
    }
    return parsed;
  }

  private async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.storage(`stat s3://${bucket}/${key}`, () =>
        this.minio.statObject(bucket, key),
      );
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  async adapterStatus(uri: string): Promise<AdapterStatus> {
    const { bucket, prefix } = this.checkBucket(uri);
    const names = [...ADAPTER_FILES, UNTRAINED_MARKER_FILE];
    const found = await Promise.all(
      names.map(n => this.exists(bucket, `${prefix}${n}`)),
    );
    const missing = ADAPTER_FILES.filter((_, i) => !found[i]);
    return {
      uri,
      available: missing.length === 0,
      untrained: found[names.length - 1],
      missing,
    };
  }

  /** Streams one object into `dir`, hashing it (sha256) on the way. */
  private async download(
    bucket: string,
    key: string,
    dir: string,
    fileName: string,
  ): Promise<LocalFile> {
    const path = join(dir, fileName);
    const hash = createHash('sha256');
    let size = 0;
    let source: Readable | undefined;
    const max = this.maxAdapterBytes;
    await this.storage(
      `get s3://${bucket}/${key}`,
      async () => {
        source = await this.minio.getObject(bucket, key);
        await pipeline(
          source,
          new Transform({
            transform(chunk: Buffer, _enc, done) {
              size += chunk.length;
              if (size > max) {
                done(new InputError(`${fileName} is larger than ${max} bytes`));
                return;
              }
              hash.update(chunk);
              done(null, chunk);
            },
          }),
          createWriteStream(path),
        );
      },
      () => source?.destroy(),
    );
    return { path, digest: `sha256:${hash.digest('hex')}`, size };
  }

  // ------------------------------------------------------------------------------ Ollama

  private ollamaError(e: unknown, what: string): Error {
    if (e instanceof ServiceUnavailableError || e instanceof InputError) {
      return e;
    }
    const status = (e as { status_code?: number } | null)?.status_code;
    if (typeof status === 'number') {
      return upstreamFailed(this.ollama, status, `${what}: ${messageOf(e)}`);
    }
    const name = (e as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return upstreamUnavailable(this.ollama, `${what}: no answer in time`);
    }
    return upstreamUnavailable(this.ollama, e);
  }

  /** Uploads a file as a blob unless Ollama has it (HEAD /api/blobs/<digest>). */
  private async uploadBlob(file: LocalFile, label: string): Promise<void> {
    const url = `${this.ollama.url}/api/blobs/${file.digest}`;
    const what = `upload of ${label} (${file.size} bytes)`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'HEAD',
        signal: AbortSignal.timeout(this.ollamaCallTimeoutMs),
      });
      if (res.ok) return;
      const size = (await stat(file.path)).size;
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-length': String(size) },
        body: Readable.toWeb(createReadStream(file.path)) as ReadableStream,
        duplex: 'half',
        signal: AbortSignal.timeout(this.ollamaTimeoutMs),
      } as RequestInit);
    } catch (e) {
      throw this.ollamaError(e, what);
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).trim();
      throw upstreamFailed(this.ollama, res.status, `${what}: ${text}`);
    }
  }

  /** The first bytes of a file: the 8-byte length and the header of a safetensors file (capped). */
  private async readHead(path: string, max: number): Promise<Buffer> {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = await handle.read(head, 0, 8, 0);
      if (bytesRead < 8) return head.subarray(0, bytesRead);
      const n = head.readBigUInt64LE(0);
      const length = n > BigInt(max) ? 0 : Number(n);
      const all = Buffer.alloc(8 + length);
      const read = await handle.read(all, 0, all.length, 0);
      return all.subarray(0, read.bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** The base model's dimensions from Ollama (/api/show); a base Ollama lacks → 503 naming it. */
  private async baseDims(base: string): Promise<BaseDims> {
    let shown;
    try {
      shown = await this.client.show({ model: base });
    } catch (e) {
      if ((e as { status_code?: number } | null)?.status_code === 404) {
        throw new ServiceUnavailableError(
          `Ollama at ${this.ollama.url} has no model "${base}" to serve adapters on: pull or create it there (the dev stack creates it: deploy/dev/stack.sh up --only rag)`,
        );
      }
      throw this.ollamaError(e, `reading ${base}`);
    }
    const info = shown.model_info as unknown;
    return baseDimsOf(
      info instanceof Map
        ? Object.fromEntries(info)
        : ((info ?? {}) as Record<string, unknown>),
    );
  }

  /**
   * Refuses (400) what Ollama's converter would choke on or what would not fit the base, before
   * Ollama sees it; returns whether the safetensors metadata labels the adapter untrained.
   */
  private async checkAdapter(
    files: Record<string, LocalFile>,
    ollamaBase: string,
  ): Promise<{ labelledUntrained: boolean }> {
    const configFile = files['adapter_config.json'];
    if (configFile.size > 1024 * 1024) {
      throw new InputError('adapter_config.json is larger than 1 MiB');
    }
    const config = checkAdapterConfig(await readFile(configFile.path, 'utf8'));
    if ('problem' in config) throw new InputError(config.problem);
    const model = files['adapter_model.safetensors'];
    const head = await this.readHead(model.path, 64 * 1024 * 1024);
    const tensors = checkSafetensorsHeader(head, model.size);
    if ('problem' in tensors) throw new InputError(tensors.problem);
    const mismatch = checkAgainstBase(tensors, await this.baseDims(ollamaBase));
    if (mismatch) {
      throw new InputError(
        `the adapter does not fit the base model ${ollamaBase}: ${mismatch}`,
      );
    }
    let labelledUntrained = false;
    try {
      const header = JSON.parse(head.subarray(8).toString('utf8'));
      labelledUntrained =
        header.__metadata__?.['kubemate.untrained'] === 'true';
    } catch {
      // checked above
    }
    return { labelledUntrained };
  }

  async serve(request: ServeAdapterRequest): Promise<ServedModel> {
    const name = shortName(request.modelName);
    if (!MODEL_NAME.test(name)) {
      throw new InputError(
        `modelName "${request.modelName}" is not an Ollama model name (lowercase letters, digits, '.', '_', '-', optional :tag; at most 80 characters, Ollama's limit)`,
      );
    }
    if (!MODEL_NAME.test(request.ollamaBase)) {
      throw new InputError(
        `ollamaBase "${request.ollamaBase}" is not an Ollama model name`,
      );
    }
    const { bucket, prefix } = this.checkBucket(request.adapterUri);
    const status = await this.adapterStatus(request.adapterUri);
    if (!status.available) {
      throw new ConflictError(
        `the job has not written an adapter yet (${status.missing.join(
          ' and ',
        )} missing at ${request.adapterUri})`,
      );
    }

    const dir = await mkdtemp(join(tmpdir(), 'kubemate-serve-'));
    try {
      const files: Record<string, LocalFile> = {};
      for (const file of ADAPTER_FILES) {
        try {
          files[file] = await this.download(
            bucket,
            `${prefix}${file}`,
            dir,
            file,
          );
        } catch (e) {
          if (isMissing(e)) {
            throw new ConflictError(
              `the job has not written an adapter yet (${file} missing at ${request.adapterUri})`,
            );
          }
          throw e;
        }
      }
      const { labelledUntrained } = await this.checkAdapter(
        files,
        request.ollamaBase,
      );
      const untrained =
        Boolean(request.untrained) || status.untrained || labelledUntrained;

      for (const file of ADAPTER_FILES) {
        await this.uploadBlob(files[file], file);
      }
      const adapters = Object.fromEntries(
        ADAPTER_FILES.map(f => [f, files[f].digest]),
      );
      try {
        await this.client.create({
          model: name,
          from: request.ollamaBase,
          adapters,
          stream: false,
        });
      } catch (e) {
        const code = (e as { status_code?: number } | null)?.status_code;
        if (code === 400 || code === 404) {
          // the adapter or the base is refused: the caller's input
          throw new InputError(
            `Ollama at ${this.ollama.url} refused to create ${name} from ${
              request.ollamaBase
            } with the adapter at ${request.adapterUri}: ${messageOf(e)}`,
          );
        }
        throw this.ollamaError(
          e,
          `creating ${name} from ${request.ollamaBase} + adapter`,
        );
      }
      return {
        name,
        jobId: request.job.id,
        cluster: request.job.cluster,
        namespace: request.job.namespace,
        baseModel: request.job.baseModel,
        ollamaBase: request.ollamaBase,
        adapterUri: request.adapterUri,
        untrained,
        createdBy: request.createdBy,
        createdAt: new Date().toISOString(),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async list(options: { prefix?: string } = {}): Promise<OllamaModelSummary[]> {
    let models;
    try {
      ({ models } = await this.client.list());
    } catch (e) {
      throw this.ollamaError(e, 'listing models');
    }
    return models
      .filter(m => !options.prefix || m.name.startsWith(options.prefix))
      .map(m => ({
        name: m.name,
        shortName: shortName(m.name),
        digest: m.digest,
        sizeBytes: m.size,
        modifiedAt: new Date(m.modified_at).toISOString(),
        family: m.details?.family || undefined,
      }));
  }

  async delete(modelName: string): Promise<void> {
    if (!MODEL_NAME.test(shortName(modelName))) {
      throw new InputError(`"${modelName}" is not an Ollama model name`);
    }
    try {
      await this.client.delete({ model: modelName });
    } catch (e) {
      if ((e as { status_code?: number } | null)?.status_code === 404) return;
      throw this.ollamaError(e, `deleting ${modelName}`);
    }
  }
}
