#!/usr/bin/env node
/*
 * The knowledge assistant (plugins/rag-backend) on this machine's real servers, side by side with
 * what it is measured against:
 *
 * (a) retrieval at 100,000 chunks: the plugin's MilvusVectorStore (HNSW, COSINE, the tenant as
 *     partition key, the collections filter, ef = max(64, 2·topK)) vs exact brute-force search in JS
 *     over the same vectors — p50/p95 of a top-10 search for 200 queries, recall@10 of HNSW against
 *     the exact top 10, for an admin (every collection) and for one team (its 2 of 20 collections);
 *     plus Milvus with ef 256. The chunk texts are generated deterministically from the demo
 *     document set (deploy/dev/seed/rag, parsed and chunked by the plugin's own code): a sentence of
 *     a real chunk under its document › section heading, with the service, namespace and numbers
 *     varied (~50 tokens: shorter than the portal's chunks, ~116 on average for the demo set —
 *     Milvus' cost does not depend on the text, the embedding's does, so throughput is given per
 *     token too). Embedded with the real all-MiniLM-L6-v2 through Ollama by the plugin's
 *     ModelService, in batches, appended to a vector cache on disk ($KUBEMATE_CACHE/bench/rag/): a
 *     second run (or a run after an interruption) embeds only what is missing. The embedding
 *     throughput is measured in every run (the corpus's missing part, else a fresh sample).
 * (b) ingestion through the portal: the backend is built and started (port 7037, fresh SQLite,
 *     bench/app-config.rag-bench.yaml: own Milvus prefix and MinIO bucket, no bootstrap); alice
 *     creates a knowledge base and uploads the demo documents BENCH_INGEST_COPIES times; chunks/s
 *     from the first upload to the last document ready (upload → MinIO → parse → chunk → embed →
 *     Milvus, the plugin's job worker), the backend's peak RSS.
 * (c) generation: time to first token, tokens/s and faithfulness of each generation model
 *     (smollm2-135m, gemma3-270m when imported) on the 55 questions of questions.json, with the
 *     plugin's prompt (buildPrompt) over the top 5 chunks of the question's collection. Faithfulness:
 *     the share of answers that cite ([n]) a source of the right document, that state a key fact
 *     of it (questions.json `facts`), and both; answers saying "not found" although the right
 *     document was among the sources are counted too.
 * (d) cached vs uncached answers through the portal (POST /api/rag/query, server-sent events): the
 *     first ask of a question (embedding, search, generation), then the same question again (Redis).
 *
 * Plus the versions of the servers and models, and the peak RSS of each server during the run.
 *
 * Needs the dev stack's rag part: ./deploy/dev/stack.sh up --only rag (gemma3-270m on demand:
 * KUBEMATE_RAG_EXTRA_MODELS=gemma3-270m). Run: nice node bench/rag.mjs
 * Env: BENCH_PARTS (retrieval,generation,portal; `embed` only fills the vector cache),
 * BENCH_EMBED_URL (the Ollama that embeds the corpus; default the stack's — a private `nice`d Ollama
 * with the same model keeps a long first fill from slowing down everyone else's),
 * BENCH_EMBED_PARALLEL (1: embedding requests at once while filling; more for an Ollama with
 * OLLAMA_NUM_PARALLEL > 1), BENCH_CHUNKS (100000), BENCH_QUERIES (200),
 * BENCH_GEN_MODELS (smollm2-135m,gemma3-270m), BENCH_GEN_QUESTIONS (55), BENCH_INGEST_COPIES (3),
 * BENCH_CACHE_N (10), BENCH_KEEP=1 (keep the Milvus bench collection and the portal's knowledge
 * base), BENCH_SKIP_BUILD=1.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  createWriteStream,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  baseUrl,
  buildBackend,
  configArgs,
  fail,
  log,
  mb,
  pct,
  poll,
  readStackFile,
  root,
  secs,
  signIn,
  startBackend,
  stop,
  treeRssBytes,
  waitReady,
} from './backend.mjs';

const require = createRequire(join(root, 'package.json'));
const env = (name, fallback) => process.env[name] ?? fallback;
const PARTS = new Set(
  env('BENCH_PARTS', 'retrieval,generation,portal').split(','),
);
const N_CHUNKS = Number(env('BENCH_CHUNKS', 100_000));
const N_QUERIES = Number(env('BENCH_QUERIES', 200));
const GEN_MODELS = env('BENCH_GEN_MODELS', 'smollm2-135m,gemma3-270m')
  .split(',')
  .filter(Boolean);
const GEN_QUESTIONS = Number(env('BENCH_GEN_QUESTIONS', 55));
const INGEST_COPIES = Number(env('BENCH_INGEST_COPIES', 3));
const CACHE_N = Number(env('BENCH_CACHE_N', 10));
const EMBED_PARALLEL = Math.max(1, Number(env('BENCH_EMBED_PARALLEL', 1)));
const KEEP = env('BENCH_KEEP') === '1';
const SKIP_BUILD = env('BENCH_SKIP_BUILD') === '1';
/** Bump when the corpus generator changes: the vector cache is keyed by it. */
const GENERATOR = 'rag-bench-corpus-v3';
const TOP_K = 10;
const COLLECTIONS = 20;
const TEAMS = 10;
/** As configured for the portal (app-config.yaml kubemate.rag.*). */
const CHUNK_TOKENS = 200;
const CHUNK_OVERLAP = 40;
const ANSWER_TOKENS = 256;
const ANSWER_TOP_K = 5;
const MIN_SCORE = 0.3;

const seedDir = join(root, 'deploy/dev/seed/rag');
const cacheDir = join(
  env('KUBEMATE_CACHE', join(homedir(), '.cache/kubemate')),
  'bench',
  'rag',
);
const questionSet = JSON.parse(
  readFileSync(join(seedDir, 'questions.json'), 'utf8'),
);
const results = { servers: {}, tables: [] };

// ------------------------------------------------------------------ helpers

/** Prints rows as a table with a header; numbers are right-aligned. */
function table(title, header, rows) {
  const all = [header, ...rows].map(r =>
    header.map((_, i) => String(r[i] ?? '')),
  );
  const widths = header.map((_, i) => Math.max(...all.map(r => r[i].length)));
  const line = r =>
    r
      .map((c, i) =>
        /^[-\d.,]+( ?(ms|s|%|MB))?$/.test(c) && i > 0
          ? c.padStart(widths[i])
          : c.padEnd(widths[i]),
      )
      .join('  ');
  const text = [
    title,
    line(all[0]),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...all.slice(1).map(line),
  ].join('\n');
  results.tables.push(text);
  console.log(`\n${text}\n`);
}
const ms = x => (x === undefined ? '—' : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const percent = (n, d) => (d ? `${((100 * n) / d).toFixed(0)} %` : '—');
const fmt = n => Math.round(n).toLocaleString('en-US');

/** A deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The plugin's own code, bundled from its TypeScript sources (esbuild; npm packages stay external
 * and load from node_modules): parser, chunker, ids, prompt, ModelService, MilvusVectorStore.
 */
async function loadPlugin() {
  const esbuild = require('esbuild');
  const outfile = join(
    root,
    'node_modules/.cache/kubemate-bench/rag-plugin.cjs',
  );
  await esbuild.build({
    stdin: {
      contents: [
        "export { parseDocument } from './lib/parse';",
        "export { chunkDocument, countTokens } from './lib/chunking';",
        "export { detectFormat } from './lib/formats';",
        "export { chunkIdOf, documentIdOf } from './lib/ids';",
        "export { buildPrompt, NOT_FOUND_ANSWER } from './services/Query/prompt';",
        "export { DefaultModelService } from './services/Models/DefaultModelService';",
        "export { MilvusVectorStore } from './services/VectorStore/MilvusVectorStore';",
        "export { searchFilter } from './services/VectorStore/expressions';",
      ].join('\n'),
      resolveDir: join(root, 'plugins/rag-backend/src'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile,
    logLevel: 'error',
    plugins: [
      {
        name: 'npm-packages-external',
        setup(build) {
          // our workspace packages are TypeScript sources: bundle them; the rest is installed
          build.onResolve({ filter: /^[^./]/ }, args =>
            args.path.startsWith('@kubemate/')
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return require(outfile);
}

const silentLogger = {
  info() {},
  warn: m => log(`warn: ${m}`),
  error: m => log(`error: ${m}`),
  debug() {},
  child() {
    return silentLogger;
  },
};

/** The pid listening on a TCP port of this host (ss), or undefined. */
function pidOnPort(port) {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], {
      encoding: 'utf8',
    });
    const m = out.match(/pid=(\d+)/);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the RSS of each server's process tree every 2 s; `peaks()` returns the maxima. */
function watchServers(servers) {
  const pids = Object.fromEntries(
    Object.entries(servers).map(([name, port]) => [name, pidOnPort(port)]),
  );
  const peak = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) {
      if (!pid) continue;
      peak[name] = Math.max(peak[name] ?? 0, treeRssBytes(pid));
    }
  };
  sample();
  const timer = setInterval(sample, 2000);
  timer.unref();
  return {
    pids,
    peaks() {
      sample();
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}

// ------------------------------------------------------------------ the document set

/** The demo documents parsed and chunked by the plugin, as the portal ingests them. */
async function seedChunks(plugin) {
  const chunks = [];
  const documents = [];
  for (const [dir, collection] of [
    ['payments', 'payments-runbooks'],
    ['risk', 'risk-runbooks'],
  ]) {
    for (const file of readdirSync(join(seedDir, dir)).sort()) {
      const body = readFileSync(join(seedDir, dir, file));
      documents.push({ collection, file, body });
      const parsed = await plugin.parseDocument({
        filename: file,
        format: plugin.detectFormat({ filename: file }),
        body,
      });
      for (const c of plugin.chunkDocument(parsed, {
        chunkTokens: CHUNK_TOKENS,
        overlapTokens: CHUNK_OVERLAP,
      })) {
        chunks.push({
          collection,
          document: file,
          title: parsed.title,
          section: c.section,
          chunkIndex: c.index,
          text: c.text,
          embedText: c.embedText,
        });
      }
    }
  }
  return { chunks, documents };
}

const SERVICES = [
  'payments-api',
  'payments-ledger',
  'payments-fx',
  'card-issuing',
  'card-tokens',
  'checkout-web',
  'merchant-onboarding',
  'merchant-portal',
  'payouts',
  'refunds',
  'disputes',
  'chargebacks',
  'risk-engine',
  'risk-rules',
  'fraud-graph',
  'kyc-service',
  'aml-screening',
  'identity-api',
  'accounts-api',
  'statements',
  'notifications',
  'email-gateway',
  'sms-gateway',
  'search-api',
  'docs-assistant',
  'feature-store',
  'model-registry',
  'pricing',
  'billing',
  'invoicing',
  'treasury',
  'reconciliation',
  'settlement',
  'ledger-archive',
  'audit-log',
  'reporting',
  'data-export',
  'partner-api',
  'webhooks',
  'scheduler',
];
const ENVIRONMENTS = ['dev', 'staging', 'prod', 'sandbox'];
const REGIONS = [
  'eu-west-1',
  'eu-central-1',
  'us-east-1',
  'us-west-2',
  'ap-south-1',
  'sa-east-1',
];
const NAMED =
  /\b(payments-api|payments-gateway|payments-checkout|payments-worker|payments-settlement|payments-reconciler|risk-engine-cache|risk-engine|risk-report|docs-assistant|docs-indexer)\b/g;
const NAMESPACE = /\b(payments|risk)-(dev|prod)\b/g;

const sentencesOf = text =>
  text
    .split(/(?<=[.!?])\s+/)
    .map(s => s.replace(/\s+/g, ' ').trim())
    .filter(s => s.length >= 25);

/**
 * `n` distinct passages like the portal's chunks: 1–`maxSentences` consecutive sentences of a real
 * chunk under `title › section (service, environment, region)`, its named services and namespaces
 * replaced and its numbers scaled. Deterministic for (seed, n).
 */
function generatePassages(base, n, seed, maxSentences) {
  const pool = base
    .map(c => ({ c, sentences: sentencesOf(c.text) }))
    .filter(p => p.sentences.length);
  const random = rng(seed);
  const pick = xs => xs[Math.floor(random() * xs.length)];
  const seen = new Set();
  const out = [];
  while (out.length < n) {
    const { c, sentences } = pick(pool);
    const start = Math.floor(random() * sentences.length);
    const count = 1 + Math.floor(random() * maxSentences);
    const service = pick(SERVICES);
    const environment = pick(ENVIRONMENTS);
    const region = pick(REGIONS);
    const factor = 0.5 + random() * 1.5;
    const body = sentences
      .slice(start, start + count)
      .join(' ')
      .replace(NAMESPACE, () => `${service}-${environment}`)
      .replace(NAMED, () => service)
      .replace(/\b\d{2,5}\b/g, d =>
        String(Math.max(2, Math.round(Number(d) * factor))),
      );
    const heading = [c.title, c.section].filter(Boolean).join(' › ');
    const text = `${heading} (${service}, ${environment}, ${region})\n${body}`;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out;
}

/** The retrieval corpus: one sentence per passage (see the header), deterministic. */
const corpusTexts = base => generatePassages(base, N_CHUNKS, 1, 1);

// ------------------------------------------------------------------ embedding with a disk cache

/**
 * The vectors of `texts` (Float32Array, rows of `dims`), from the cache file as far as it goes,
 * the rest embedded through the plugin's ModelService in batches and appended as they come.
 */
async function embedCorpus(models, texts, dims, plugin) {
  // the corpus is one deterministic sequence (its first N passages are the same for every N):
  // keyed by the generator, the model and its first passages, the file holds it in order, and a
  // run of N chunks uses (and if needed extends) its first N rows
  const key = createHash('sha256')
    .update(`${GENERATOR}\n${models.embeddingModel}\n`)
    .update(texts.slice(0, 1000).join('\n'))
    .digest('hex')
    .slice(0, 16);
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `vectors-${key}.f32`);
  const row = dims * 4;
  let have = existsSync(file) ? Math.floor(statSync(file).size / row) : 0;
  log(`vector cache ${file}: ${fmt(have)} vectors`);
  const fd = openSync(file, existsSync(file) ? 'r+' : 'w+');
  ftruncateSync(fd, have * row); // a half-written batch of an interrupted run
  closeSync(fd);
  const started = performance.now();
  let embedded = 0;
  let tokens = 0;
  if (have < texts.length) {
    log(
      `embedding ${fmt(texts.length - have)} of ${fmt(
        texts.length,
      )} chunks with ${models.embeddingModel} (${fmt(have)} cached in ${file})`,
    );
    const out = openSync(file, 'a');
    let lastLog = performance.now();
    const step = 256 * EMBED_PARALLEL;
    for (let i = have; i < texts.length; i += step) {
      // EMBED_PARALLEL requests at once (Ollama batches parallel sequences), appended in order
      const batches = [];
      for (let k = i; k < Math.min(i + step, texts.length); k += 256) {
        batches.push(texts.slice(k, Math.min(k + 256, texts.length)));
      }
      const vectors = await Promise.all(batches.map(b => models.embed(b)));
      for (const [k, batch] of batches.entries()) {
        writeSync(
          out,
          Buffer.from(Float32Array.from(vectors[k].flat()).buffer),
        );
        embedded += batch.length;
        for (const t of batch) tokens += plugin.countTokens(t);
      }
      const done = i + batches.reduce((n, b) => n + b.length, 0);
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        const rate = embedded / ((performance.now() - started) / 1000);
        log(
          `  ${fmt(done)} / ${fmt(texts.length)} (${rate.toFixed(
            1,
          )} chunks/s, ~${((texts.length - done) / rate / 60).toFixed(
            0,
          )} min left)`,
        );
      }
    }
    closeSync(out);
    have = texts.length;
  }
  const buffer = readFileSync(file);
  const vectors = new Float32Array(
    buffer.buffer,
    buffer.byteOffset,
    texts.length * dims,
  );
  // the cache must hold these texts' vectors: three rows embedded again must match
  const rows = [0, Math.floor(texts.length / 2), texts.length - 1];
  const again = await models.embed(rows.map(r => texts[r]));
  for (const [k, r] of rows.entries()) {
    let cosine = 0;
    for (let j = 0; j < dims; j++)
      cosine += vectors[r * dims + j] * again[k][j];
    if (cosine < 0.999) {
      fail(
        `${file} row ${r} does not match its text (cosine ${cosine.toFixed(
          4,
        )}): delete the file`,
      );
    }
  }
  return {
    vectors,
    file,
    embedded,
    tokens,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Embedding throughput on texts not embedded before (timed around the plugin's ModelService). */
async function measureEmbedding(models, texts, plugin) {
  const started = performance.now();
  const vectors = await models.embed(texts);
  const seconds = (performance.now() - started) / 1000;
  const tokens = texts.reduce((n, t) => n + plugin.countTokens(t), 0);
  return { vectors, seconds, chunks: texts.length, tokens };
}

// ------------------------------------------------------------------ exact search

/** Top `k` rows of `vectors` by dot product with `q` among `rows` (unit vectors: cosine). */
function exactTopK(vectors, dims, q, rows, k) {
  const top = []; // [score, row], ascending by score
  for (const r of rows) {
    let s = 0;
    const o = r * dims;
    for (let j = 0; j < dims; j++) s += vectors[o + j] * q[j];
    if (top.length < k || s > top[0][0]) {
      if (top.length === k) top.shift();
      let at = top.findIndex(([x]) => x > s);
      if (at < 0) at = top.length;
      top.splice(at, 0, [s, r]);
    }
  }
  return top.reverse();
}

// ------------------------------------------------------------------ (a) retrieval

async function retrievalPart(ctx) {
  const { plugin, models, stack, base, dims } = ctx;
  log(
    `(a) generating ${fmt(N_CHUNKS)} chunk texts from ${
      base.length
    } real chunks`,
  );
  const texts = corpusTexts(base);
  const avgTokens =
    texts.slice(0, 2000).reduce((n, t) => n + plugin.countTokens(t), 0) / 2000;

  const corpus = await embedCorpus(ctx.corpusModels, texts, dims, plugin);
  const queries = [
    ...questionSet.questions.map(q => q.question),
    ...questionSet.unanswerable.map(q => q.question),
  ];
  queries.push(
    ...generatePassages(base, N_QUERIES - queries.length, 2, 1).map(
      t => t.split('\n')[1],
    ),
  );
  log(`(a) embedding the ${queries.length} queries`);
  const q = await measureEmbedding(models, queries, plugin);
  let throughput;
  if (corpus.embedded) {
    throughput = {
      what: `${fmt(corpus.embedded)} corpus chunks (this run${
        process.env.BENCH_EMBED_URL ? `, at ${process.env.BENCH_EMBED_URL}` : ''
      })`,
      chunks: corpus.embedded,
      seconds: corpus.seconds,
      tokens: corpus.tokens,
    };
  } else {
    // everything was cached: time a fresh sample of chunk-like texts
    log('(a) corpus cached: timing 256 fresh chunk-like texts');
    const sample = await measureEmbedding(
      models,
      generatePassages(base, 256, 3, 1),
      plugin,
    );
    throughput = { what: '256 fresh chunk-like texts', ...sample };
  }

  // Milvus through the plugin's store, its own collection apart from the portal's
  const store = new plugin.MilvusVectorStore({
    address: stack.rag.milvus.address,
    collectionPrefix: 'kubemate_bench',
    embeddingModel: models.embeddingModel,
    timeoutMs: 300_000,
    logger: silentLogger,
  });
  const { MilvusClient } = require('@zilliz/milvus2-sdk-node');
  const milvus = new MilvusClient({
    address: stack.rag.milvus.address,
    logLevel: 'error',
  });
  const name = store.collectionName(dims);
  const collectionOf = i =>
    `bench-kb-${String(i % COLLECTIONS).padStart(2, '0')}`;
  const teamOf = i => `group:default/bench-team-${(i % COLLECTIONS) % TEAMS}`;
  const idOf = i =>
    plugin.chunkIdOf(
      collectionOf(i),
      plugin.documentIdOf(collectionOf(i), `doc-${Math.floor(i / 50)}`),
      0,
      i,
    );
  const rowOfId = new Map();
  for (let i = 0; i < N_CHUNKS; i++) rowOfId.set(idOf(i), i);

  const marker = join(cacheDir, `milvus-${name}.json`);
  const stored = existsSync(marker)
    ? JSON.parse(readFileSync(marker, 'utf8'))
    : undefined;
  let insert;
  const exists = (await milvus.hasCollection({ collection_name: name })).value;
  const rows = exists
    ? Number(
        (await milvus.getCollectionStatistics({ collection_name: name })).data
          .row_count,
      )
    : 0;
  if (
    exists &&
    stored?.vectors === corpus.file &&
    stored?.address === stack.rag.milvus.address &&
    rows === N_CHUNKS
  ) {
    log(
      `(a) ${name} already holds the ${fmt(N_CHUNKS)} vectors (BENCH_KEEP run)`,
    );
  } else {
    if (exists) await milvus.dropCollection({ collection_name: name });
    log(`(a) inserting ${fmt(N_CHUNKS)} vectors into Milvus ${name}`);
    const started = performance.now();
    for (let i = 0; i < N_CHUNKS; i += 2000) {
      const batch = [];
      for (let r = i; r < Math.min(i + 2000, N_CHUNKS); r++) {
        batch.push({
          id: idOf(r),
          tenant: teamOf(r),
          collection: collectionOf(r),
          documentId: plugin.documentIdOf(
            collectionOf(r),
            `doc-${Math.floor(r / 50)}`,
          ),
          generation: 0,
          chunkIndex: r,
          vector: Array.from(corpus.vectors.subarray(r * dims, (r + 1) * dims)),
        });
      }
      await store.upsert(batch);
    }
    const upsertSeconds = (performance.now() - started) / 1000;
    await milvus.flushSync({ collection_names: [name] });
    await poll(
      'the HNSW index to cover every vector',
      1_800_000,
      async () => {
        const d = await milvus.describeIndex({
          collection_name: name,
          field_name: 'vector',
        });
        const index = d.index_descriptions?.[0];
        return index &&
          Number(index.indexed_rows) >= N_CHUNKS &&
          Number(index.pending_index_rows ?? 0) === 0
          ? true
          : undefined;
      },
      2000,
    );
    insert = {
      upsertSeconds,
      indexedSeconds: (performance.now() - started) / 1000,
    };
    writeFileSync(
      marker,
      JSON.stringify({
        vectors: corpus.file,
        address: stack.rag.milvus.address,
      }),
    );
  }

  const scopes = [
    {
      name: `admin: all ${COLLECTIONS} collections`,
      collections: [
        ...new Set(
          Array.from({ length: COLLECTIONS }, (_, i) => collectionOf(i)),
        ),
      ],
      tenants: [
        ...new Set(Array.from({ length: COLLECTIONS }, (_, i) => teamOf(i))),
      ],
      rows: Array.from({ length: N_CHUNKS }, (_, i) => i),
    },
    {
      name: 'one team: 2 collections',
      collections: [collectionOf(3), collectionOf(3 + TEAMS)],
      tenants: [teamOf(3)],
      rows: Array.from({ length: N_CHUNKS }, (_, i) => i).filter(
        i => teamOf(i) === teamOf(3),
      ),
    },
  ];
  const rowsOut = [];
  for (const scope of scopes) {
    const exact = [];
    const exactMs = [];
    for (const v of q.vectors) {
      const t0 = performance.now();
      exact.push(
        exactTopK(corpus.vectors, dims, v, scope.rows, TOP_K).map(([, r]) => r),
      );
      exactMs.push(performance.now() - t0);
    }
    const recallOf = hits =>
      hits.reduce(
        (n, h, i) => n + h.filter(r => exact[i].includes(r)).length / TOP_K,
        0,
      ) / hits.length;
    // the plugin's search (ef 64 for top 10); 10 warm-up queries first
    for (const v of q.vectors.slice(0, 10)) {
      await store.search(v, { ...scope, topK: TOP_K });
    }
    const pluginMs = [];
    const pluginHits = [];
    for (const v of q.vectors) {
      const t0 = performance.now();
      const hits = await store.search(v, { ...scope, topK: TOP_K });
      pluginMs.push(performance.now() - t0);
      pluginHits.push(hits.map(h => rowOfId.get(h.id)));
    }
    // the same search with ef 256 straight through the SDK
    const filter = plugin.searchFilter(scope);
    const wideMs = [];
    const wideHits = [];
    for (const v of q.vectors) {
      const t0 = performance.now();
      const res = await milvus.search({
        collection_name: name,
        data: [v],
        filter,
        limit: TOP_K,
        output_fields: ['id'],
        metric_type: 'COSINE',
        params: { ef: 256 },
        consistency_level: 'Strong',
      });
      wideMs.push(performance.now() - t0);
      wideHits.push(res.results.map(r => rowOfId.get(String(r.id))));
    }
    const size = fmt(scope.rows.length);
    rowsOut.push(
      [
        scope.name,
        size,
        'Milvus HNSW, plugin (ef 64)',
        ms(pct(pluginMs, 0.5)),
        ms(pct(pluginMs, 0.95)),
        recallOf(pluginHits).toFixed(3),
      ],
      [
        '',
        '',
        'Milvus HNSW, ef 256',
        ms(pct(wideMs, 0.5)),
        ms(pct(wideMs, 0.95)),
        recallOf(wideHits).toFixed(3),
      ],
      [
        '',
        '',
        'exact, brute force in JS',
        ms(pct(exactMs, 0.5)),
        ms(pct(exactMs, 0.95)),
        '1.000',
      ],
    );
  }
  table(
    `(a) retrieval: top ${TOP_K} of ${fmt(N_CHUNKS)} chunks (${dims}-dim ${
      models.embeddingModel
    }, avg ~${avgTokens.toFixed(0)} tokens per chunk), ${
      q.vectors.length
    } queries`,
    ['scope', 'chunks searched', 'search', 'p50', 'p95', `recall@${TOP_K}`],
    rowsOut,
  );
  table(
    '(a) embedding and insertion',
    ['what', 'value'],
    [
      [
        `embedding throughput, ${throughput.what}`,
        `${(throughput.chunks / throughput.seconds).toFixed(
          1,
        )} chunks/s, ~${fmt(throughput.tokens / throughput.seconds)} tokens/s`,
      ],
      [
        `embedding throughput, ${q.chunks} queries (short)`,
        `${(q.chunks / q.seconds).toFixed(1)} texts/s`,
      ],
      [
        'Milvus upsert (plugin store, batches of 2,000)',
        insert
          ? `${fmt(N_CHUNKS / insert.upsertSeconds)} vectors/s`
          : 'earlier run (BENCH_KEEP)',
      ],
      [
        'until the HNSW index covers all',
        insert
          ? secs(insert.indexedSeconds * 1000)
          : 'earlier run (BENCH_KEEP)',
      ],
      ['vector cache', corpus.file],
    ],
  );
  if (!KEEP) {
    await milvus.dropCollection({ collection_name: name });
    rmSync(marker, { force: true });
  }
  await store.close();
  await milvus.closeConnection();
}

// ------------------------------------------------------------------ (c) generation

const normalize = s => s.toLowerCase().replace(/\s+/g, ' ').trim();
/** `fact` in `text` as a whole token sequence (`12` is not found in `2012` or `v12`). */
const states = (text, fact) =>
  new RegExp(
    `(^|[^a-z0-9])${normalize(fact).replace(
      /[.*+?^${}()|[\]\\]/g,
      '\\$&',
    )}($|[^a-z0-9])`,
  ).test(text);

async function generationPart(ctx) {
  const { plugin, models, stack, base } = ctx;
  const seedVectors = await models.embed(base.map(c => c.embedText));
  const available = (
    await (await fetch(`${stack.rag.ollama.url}/api/tags`)).json()
  ).models.map(m => m.name.replace(/:latest$/, ''));
  const questions = questionSet.questions.slice(0, GEN_QUESTIONS);
  const qVectors = await models.embed(questions.map(q => q.question));
  const unanswerableVectors = await models.embed(
    questionSet.unanswerable.map(q => q.question),
  );
  const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
  const retrieve = (v, collection) =>
    base
      .map((c, i) => ({ c, score: dot(v, seedVectors[i]) }))
      .filter(x => x.c.collection === collection)
      .sort((a, b) => b.score - a.score)
      .slice(0, ANSWER_TOP_K);
  const retrievals = questions.map((q, i) =>
    retrieve(qVectors[i], q.collection),
  );
  const inTop = retrievals.filter((r, i) =>
    r.some(x => x.c.document === questions[i].document),
  ).length;
  const notFound = questionSet.unanswerable.filter(
    (q, i) =>
      retrieve(unanswerableVectors[i], q.collection)[0].score < MIN_SCORE,
  ).length;

  const rows = [];
  for (const model of GEN_MODELS) {
    if (!available.includes(model)) {
      rows.push([model, 'not imported']);
      log(
        `(c) ${model} is not in Ollama (${
          stack.rag.ollama.onDemandModels?.includes(model)
            ? `import it: KUBEMATE_RAG_EXTRA_MODELS=${model} ./deploy/dev/stack.sh up --only rag`
            : 'not offered by the stack'
        })`,
      );
      continue;
    }
    const generator = new plugin.DefaultModelService({
      baseUrl: stack.rag.ollama.url,
      embeddingModel: models.embeddingModel,
      generationModel: model,
      timeoutMs: 600_000,
      generationIdleTimeoutMs: 300_000,
    });
    log(`(c) ${model}: loading (one warm-up answer)`);
    const warm0 = performance.now();
    await generator.generate(
      { system: 'Reply with one word.', user: 'Say ready.' },
      { maxTokens: 4 },
    );
    const loadMs = performance.now() - warm0;
    const answers = [];
    for (const [i, q] of questions.entries()) {
      const hits = retrievals[i];
      if (hits[0].score < MIN_SCORE) {
        answers.push({ question: q.question, notFound: true });
        continue;
      }
      const sources = hits.map((h, k) => ({
        index: k + 1,
        documentName: h.c.document,
        section: h.c.section,
        text: h.c.text,
      }));
      const g = await generator.generate(
        plugin.buildPrompt(q.question, sources),
        { maxTokens: ANSWER_TOKENS },
      );
      const cited = [...g.text.matchAll(/\[(\d+)\]/g)]
        .map(m => Number(m[1]))
        .filter(n => n >= 1 && n <= sources.length);
      const text = normalize(g.text);
      answers.push({
        question: q.question,
        document: q.document,
        answer: g.text,
        firstTokenMs: g.firstTokenMs,
        tokensPerSecond:
          g.completionTokens /
          Math.max(0.001, (g.durationMs - g.firstTokenMs) / 1000),
        completionTokens: g.completionTokens,
        promptTokens: g.promptTokens,
        cites: cited.length > 0,
        citesRight: cited.some(n => sources[n - 1].documentName === q.document),
        fact: q.facts.some(f => states(text, f)),
        saysNotFound:
          text.includes(
            normalize(plugin.NOT_FOUND_ANSWER).replace(/\.$/, ''),
          ) && sources.some(s => s.documentName === q.document),
      });
      if ((i + 1) % 10 === 0) log(`(c) ${model}: ${i + 1}/${questions.length}`);
    }
    mkdirSync(cacheDir, { recursive: true });
    const file = join(cacheDir, `answers-${model}.json`);
    writeFileSync(file, JSON.stringify(answers, null, 2));
    const done = answers.filter(a => !a.notFound);
    const n = done.length;
    rows.push([
      model,
      secs(loadMs),
      ms(
        pct(
          done.map(a => a.firstTokenMs),
          0.5,
        ),
      ),
      ms(
        pct(
          done.map(a => a.firstTokenMs),
          0.95,
        ),
      ),
      pct(
        done.map(a => a.tokensPerSecond),
        0.5,
      ).toFixed(1),
      (done.reduce((s, a) => s + a.completionTokens, 0) / n).toFixed(0),
      percent(done.filter(a => a.citesRight).length, n),
      percent(done.filter(a => a.fact).length, n),
      percent(done.filter(a => a.citesRight && a.fact).length, n),
      percent(done.filter(a => a.cites).length, n),
      `${done.filter(a => a.saysNotFound).length}`,
    ]);
    log(`(c) ${model}: answers in ${file}`);
  }
  table(
    `(c) generation on ${questions.length} questions (right document in the top ${ANSWER_TOP_K}: ${inTop}/${questions.length}; unanswerable below the relevance threshold ${MIN_SCORE}: ${notFound}/${questionSet.unanswerable.length}); plugin prompt, ${ANSWER_TOP_K} sources, at most ${ANSWER_TOKENS} tokens, temperature 0.1`,
    [
      'model',
      'load',
      'first token p50',
      'p95',
      'tokens/s p50',
      'tokens/answer',
      'cites right doc',
      'states key fact',
      'both',
      'cites any',
      '"not found" wrongly',
    ],
    rows,
  );
  console.log(
    'Faithfulness: "cites right doc" = the answer cites [n] of a source from the question\'s document (a model that writes [1] whatever it says scores the top-1 retrieval rate here); "states key fact" = it contains one of the question\'s facts (questions.json, as whole words); "both" = it cites the right document and states its key fact; "cites any" = any valid [n]; "not found" wrongly = it answered "Not found in the knowledge base" with the right document among its sources.',
  );
}

// ------------------------------------------------------------------ (b) + (d) through the portal

/** Reads a server-sent events response: the time of the first `token` and the `done` answer. */
async function readAnswerStream(res, started) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let firstTokenMs;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const event = /^event: ?(.*)$/m.exec(block)?.[1];
      const data = block
        .split(/\r?\n/)
        .filter(l => l.startsWith('data:'))
        .map(l => l.slice(5).replace(/^ /, ''))
        .join('\n');
      if (event === 'token' && firstTokenMs === undefined) {
        firstTokenMs = performance.now() - started;
      }
      if (event === 'error') {
        return { error: JSON.parse(data).message ?? data };
      }
      if (event === 'done') {
        return {
          answer: JSON.parse(data),
          firstTokenMs,
          totalMs: performance.now() - started,
        };
      }
    }
  }
  return fail('the answer stream ended without done');
}

async function portalPart(ctx) {
  const { stack } = ctx;
  if (!SKIP_BUILD) {
    log('(b) building the backend');
    buildBackend();
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'kubemate-bench-'));
  const logFile = join(tmpdir(), `kubemate-bench-backend-${process.pid}.log`);
  const out = createWriteStream(logFile);
  const backend = startBackend({
    cmd: process.execPath,
    args: [
      'dist/start-in-workspace.cjs',
      ...configArgs([
        'app-config.yaml',
        'bench/app-config.bench.yaml',
        stack.appConfigFile,
        'bench/app-config.rag-bench.yaml',
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  let ok = false;
  const name = `bench-ingest-${Date.now().toString(36)}`;
  let token;
  const api = async (method, path, body, headers = {}) => {
    const res = await fetch(`${baseUrl}/api/rag${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body && !Buffer.isBuffer(body)
          ? { 'Content-Type': 'application/json' }
          : {}),
        ...headers,
      },
      body: body && !Buffer.isBuffer(body) ? JSON.stringify(body) : body,
    });
    if (!res.ok) fail(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  try {
    await waitReady(backend, 300_000);
    token = await signIn('alice');
    const status = await (await api('GET', '/status')).json();
    for (const u of status.upstreams) {
      results.servers[u.name] = {
        ...(results.servers[u.name] ?? {}),
        portal: u.detail,
        ok: u.ok,
      };
    }
    if (status.upstreams.some(u => !u.ok && u.name !== 'redis')) {
      fail(`an upstream is down: ${JSON.stringify(status.upstreams)}`);
    }

    // (b) ingestion
    await api('POST', '/collections', {
      name,
      title: 'Bench ingestion',
      ownerRef: 'group:default/team-payments',
    });
    const uploads = [];
    for (let copy = 0; copy < INGEST_COPIES; copy++) {
      for (const d of ctx.documents) {
        const filename = copy
          ? d.file.replace(/(\.[a-z]+)$/, `-copy${copy}$1`)
          : d.file;
        uploads.push({ filename, body: d.body });
      }
    }
    log(`(b) alice uploads ${uploads.length} documents into ${name}`);
    let peakRss = treeRssBytes(backend.pid);
    const started = performance.now();
    const uploadMs = [];
    for (const u of uploads) {
      const t0 = performance.now();
      await api(
        'POST',
        `/collections/${name}/documents?filename=${encodeURIComponent(
          u.filename,
        )}`,
        u.body,
        { 'Content-Type': 'application/octet-stream' },
      );
      uploadMs.push(performance.now() - t0);
    }
    const documents = await poll(
      'every document ready',
      3_600_000,
      async () => {
        peakRss = Math.max(peakRss, treeRssBytes(backend.pid));
        const { items } = await (
          await api('GET', `/collections/${name}/documents`)
        ).json();
        return items.length === uploads.length &&
          items.every(d => d.status === 'ready' || d.status === 'failed')
          ? items
          : undefined;
      },
      500,
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const failed = documents.filter(d => d.status === 'failed');
    if (failed.length) {
      fail(
        `${failed.length} documents failed: ${failed
          .map(d => `${d.name}: ${d.error}`)
          .join('; ')}`,
      );
    }
    const chunks = documents.reduce((n, d) => n + d.chunksTotal, 0);
    const first = Math.min(...documents.map(d => Date.parse(d.uploadedAt)));
    const last = Math.max(...documents.map(d => Date.parse(d.ingestedAt)));
    table(
      `(b) ingestion through the portal: ${
        documents.length
      } documents (${INGEST_COPIES} × the demo set), ${fmt(chunks)} chunks`,
      ['measure', 'value'],
      [
        [
          'chunks/s, first upload → last document ready (server times)',
          ((chunks * 1000) / (last - first)).toFixed(1),
        ],
        [
          'chunks/s, wall clock incl. polling',
          (chunks / wallSeconds).toFixed(1),
        ],
        [
          'upload (POST, 202) p50 / p95',
          `${ms(pct(uploadMs, 0.5))} / ${ms(pct(uploadMs, 0.95))}`,
        ],
        ['backend peak RSS', `${mb(peakRss)} MB`],
      ],
    );

    // (d) cached vs uncached answers
    const asked = questionSet.questions
      .filter(q => q.collection === 'payments-runbooks')
      .slice(0, CACHE_N);
    const first2 = [];
    const again = [];
    const errors = [];
    log(`(d) asking ${asked.length} questions twice`);
    for (const q of asked) {
      for (const [list, wantCached] of [
        [first2, false],
        [again, true],
      ]) {
        const t0 = performance.now();
        const res = await api(
          'POST',
          '/query',
          { question: q.question, collections: [name] },
          { Accept: 'text/event-stream' },
        );
        const r = await readAnswerStream(res, t0);
        if (r.error) {
          // e.g. Ollama busy past the portal's timeout: a 503 naming it, counted, not fatal
          errors.push(`${q.question}: ${r.error}`);
          break;
        }
        if (r.answer.cached !== wantCached) {
          fail(
            `"${q.question}" was ${
              r.answer.cached ? '' : 'not '
            }served from the cache on ${
              wantCached ? 'the second' : 'the first'
            } ask`,
          );
        }
        list.push(r);
      }
    }
    const total = xs => xs.map(x => x.totalMs);
    const firstToken = xs => xs.map(x => x.firstTokenMs ?? x.totalMs);
    table(
      `(d) answers through the portal (POST /api/rag/query, SSE, ${
        stack.rag.ollama.generationModel
      }), ${asked.length} questions asked twice${
        errors.length ? `; ${errors.length} failed` : ''
      }`,
      ['ask', 'answers', 'first token p50', 'total p50', 'total p95'],
      [
        [
          'first (embed, search, generate)',
          first2.length,
          ms(pct(firstToken(first2), 0.5)),
          ms(pct(total(first2), 0.5)),
          ms(pct(total(first2), 0.95)),
        ],
        [
          'again (Redis cache)',
          again.length,
          ms(pct(firstToken(again), 0.5)),
          ms(pct(total(again), 0.5)),
          ms(pct(total(again), 0.95)),
        ],
      ],
    );
    for (const e of errors) log(`(d) failed: ${e}`);
    if (!KEEP) await api('DELETE', `/collections/${name}`);
    ok = true;
  } finally {
    await stop(backend);
    out.end();
    rmSync(dataDir, { recursive: true, force: true });
    if (ok) rmSync(logFile, { force: true });
    else log(`backend log kept: ${logFile}`);
  }
}

// ------------------------------------------------------------------ main

async function main() {
  const stack = readStackFile();
  if (!stack.rag?.ollama || !stack.rag?.milvus) {
    fail('stack.json has no rag part: ./deploy/dev/stack.sh up --only rag');
  }
  const watcher = watchServers({
    ollama: stack.rag.ollama.port,
    milvus: stack.rag.milvus.port,
    ...(stack.rag.minio ? { minio: stack.rag.minio.port } : {}),
    ...(stack.rag.redis ? { redis: stack.rag.redis.port } : {}),
  });
  log(
    'bundling the plugin (parser, chunker, prompt, ModelService, MilvusVectorStore)',
  );
  const plugin = await loadPlugin();
  const models = new plugin.DefaultModelService({
    baseUrl: stack.rag.ollama.url,
    embeddingModel: stack.rag.ollama.embeddingModel,
    generationModel: stack.rag.ollama.generationModel,
    timeoutMs: 600_000,
    embedBatchSize: 64,
  });
  const corpusModels = process.env.BENCH_EMBED_URL
    ? new plugin.DefaultModelService({
        baseUrl: process.env.BENCH_EMBED_URL,
        embeddingModel: models.embeddingModel,
        timeoutMs: 600_000,
        embedBatchSize: 64,
      })
    : models;
  const dims = await corpusModels.dimensions();
  const { chunks: base, documents } = await seedChunks(plugin);
  const ctx = { plugin, models, corpusModels, stack, base, documents, dims };
  const started = performance.now();
  if (PARTS.has('embed')) {
    const corpus = await embedCorpus(
      corpusModels,
      corpusTexts(base),
      dims,
      plugin,
    );
    log(
      `vector cache ${corpus.file}: ${fmt(N_CHUNKS)} vectors${
        corpus.embedded
          ? `, ${fmt(corpus.embedded)} embedded now at ${(
              corpus.embedded / corpus.seconds
            ).toFixed(1)} chunks/s (~${fmt(
              corpus.tokens / corpus.seconds,
            )} tokens/s)`
          : ' (all cached)'
      }`,
    );
    if (PARTS.size === 1) return;
  }
  const load = [];
  for (const [part, run] of [
    ['retrieval', retrievalPart],
    ['generation', generationPart],
    ['portal', portalPart],
  ]) {
    if (!PARTS.has(part)) continue;
    const t0 = performance.now();
    const before = loadavg()[0];
    await run(ctx);
    load.push([
      part,
      secs(performance.now() - t0),
      before.toFixed(1),
      loadavg()[0].toFixed(1),
    ]);
  }

  const ollamaVersion = (
    await (await fetch(`${stack.rag.ollama.url}/api/version`)).json()
  ).version;
  const store = new plugin.MilvusVectorStore({
    address: stack.rag.milvus.address,
    embeddingModel: models.embeddingModel,
    logger: silentLogger,
  });
  const milvusHealth = await store.health();
  await store.close();
  const peaks = watcher.peaks();
  watcher.stop();
  table(
    `servers during the run (${secs(performance.now() - started)})`,
    ['server', 'version', 'pid', 'peak RSS (process tree)'],
    [
      [
        'Ollama',
        `${ollamaVersion} (stack: ${stack.rag.ollama.version})`,
        watcher.pids.ollama,
        peaks.ollama ? `${mb(peaks.ollama)} MB` : '—',
      ],
      [
        'milvus-lite',
        `${milvusHealth.detail} (stack: ${stack.rag.milvus.version})`,
        watcher.pids.milvus,
        peaks.milvus ? `${mb(peaks.milvus)} MB` : '—',
      ],
      [
        'MinIO',
        stack.rag.minio?.version ?? '—',
        watcher.pids.minio,
        peaks.minio ? `${mb(peaks.minio)} MB` : '—',
      ],
      [
        'Redis',
        stack.rag.redis?.version ?? '—',
        watcher.pids.redis,
        peaks.redis ? `${mb(peaks.redis)} MB` : '—',
      ],
    ],
  );
  table(
    `machine load (${
      cpus().length
    } CPUs; other work on this machine shares them)`,
    ['part', 'took', 'load avg 1 min before', 'after'],
    load,
  );
  console.log(
    `models: embedding ${
      models.embeddingModel
    } (${dims} dimensions), generation ${GEN_MODELS.join(', ')}`,
  );
  for (const [name, u] of Object.entries(results.servers)) {
    console.log(
      `portal /api/rag/status: ${name} ${u.ok ? 'ok' : 'DOWN'} (${u.portal})`,
    );
  }
  console.log(`\n==== summary ====\n${results.tables.join('\n\n')}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
