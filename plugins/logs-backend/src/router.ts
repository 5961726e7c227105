import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseRequest } from '@kubemate/plugin-kubemate-node';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { LogLine, TailEvent } from '@kubemate/plugin-logs-common';
import { DefaultLogsService } from './services/LogsService';

const MAX_RANGE = 30 * 86_400;
const DOWNLOAD_LIMIT = 50_000;

const range = {
  start: z.coerce.number().optional(),
  end: z.coerce.number().optional(),
};
/** Defaults (the last hour) and limits of a time range, in unix seconds. */
function withRange<T extends { start?: number; end?: number }>(b: T) {
  const end = b.end ?? Math.floor(Date.now() / 1000);
  const start = b.start ?? end - 3600;
  if (end <= start)
    throw new InputError('Invalid request: end: end must be after start');
  if (end - start > MAX_RANGE) {
    throw new InputError(
      'Invalid request: start: the range may span at most 30 days',
    );
  }
  return { ...b, start, end };
}

const queryBody = z
  .object({
    query: z.string().trim().min(1).max(10_000),
    ...range,
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
    direction: z.enum(['forward', 'backward']).default('backward'),
    entityRef: z.string().max(500).optional(),
  })
  .strict();

const volumeBody = z
  .object({
    query: z.string().trim().min(1).max(10_000),
    ...range,
    entityRef: z.string().max(500).optional(),
  })
  .strict();

const contextQuery = z.object({
  labels: z.string().transform((s, ctx) => {
    try {
      const v = JSON.parse(s);
      if (
        v &&
        typeof v === 'object' &&
        Object.values(v).every(x => typeof x === 'string')
      ) {
        return v as Record<string, string>;
      }
    } catch {
      // reported below
    }
    ctx.addIssue({
      code: 'custom',
      message: 'must be a JSON object of label values',
    });
    return z.NEVER;
  }),
  ts: z.string().regex(/^\d{1,20}$/, 'must be a timestamp in nanoseconds'),
  before: z.coerce.number().int().min(0).max(500).default(20),
  after: z.coerce.number().int().min(0).max(500).default(20),
  entityRef: z.string().max(500).optional(),
});

const tailQuery = z.object({
  query: z.string().trim().min(1).max(10_000),
  entityRef: z.string().max(500).optional(),
});

const downloadQuery = z.object({
  query: z.string().trim().min(1).max(10_000),
  ...range,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(DOWNLOAD_LIMIT)
    .default(DOWNLOAD_LIMIT),
  entityRef: z.string().max(500).optional(),
});

function formatLine(l: LogLine): string {
  const ms = Number(BigInt(l.ts) / 1_000_000n);
  const labels = Object.entries(l.labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${new Date(ms).toISOString()} {${labels}} ${l.line}`;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: DefaultLogsService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = Router();
  router.use(express.json());
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/query', async (req, res) => {
    const body = withRange(parseRequest(queryBody, req.body));
    res.json(await service.query(await credentials(req), body));
  });

  router.post('/volume', async (req, res) => {
    const body = withRange(parseRequest(volumeBody, req.body));
    res.json(await service.volume(await credentials(req), body));
  });

  router.get('/context', async (req, res) => {
    const q = parseRequest(contextQuery, req.query);
    res.json(await service.context(await credentials(req), q));
  });

  router.get('/download', async (req, res) => {
    const q = withRange(parseRequest(downloadQuery, req.query));
    const result = await service.query(await credentials(req), {
      ...q,
      direction: 'forward',
    });
    if (result.resultType !== 'streams') {
      throw new InputError('Only log queries can be downloaded');
    }
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="logs.txt"');
    res.send(
      result.lines.map(formatLine).join('\n') +
        (result.lines.length ? '\n' : ''),
    );
  });

  /**
   * Live tail as newline-delimited JSON events (`TailEvent`), relayed from Loki's tail with
   * backpressure (the response's drain) and a cap; the browser reads it through fetch.
   */
  router.get('/tail', async (req, res) => {
    const q = parseRequest(tailQuery, req.query);
    const creds = await credentials(req);
    let started = false;
    const send = (e: TailEvent) => {
      if (!started) {
        started = true;
        res.status(200);
        res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Accel-Buffering', 'no');
        res.flushHeaders();
      }
      return res.write(`${JSON.stringify(e)}\n`);
    };
    const { stop, done } = await service.tail(creds, q, {
      send,
      onDrain: cb => res.on('drain', cb),
    });
    send({ type: 'lines', lines: [] }); // opens the stream at once
    req.on('close', stop);
    await done;
    res.end();
  });

  return router;
}
