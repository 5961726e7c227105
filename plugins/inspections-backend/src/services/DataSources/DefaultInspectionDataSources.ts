import type { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  ArchivedEvent,
  InspectionDataSources,
  PeerCertificate,
  QuerySample,
  RawAnswer,
  TlsTarget,
} from '@kubemate/plugin-inspections-node';
import {
  fetchUpstream,
  upstreamUnavailable,
  type CachedKind,
  type CachedKinds,
  type KubeClients,
  type Upstream,
  notConfigured,
} from '@kubemate/plugin-kubemate-node';
import type { IncomingMessage } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { Pool } from 'pg';
import type {
  InspectionDataSourcesDeps,
  InspectionDataSourcesService,
} from './types';

/** Longest a single data source call may take when the caller gives no signal. */
const DEFAULT_TIMEOUT_MS = 30_000;
const TLS_TIMEOUT_MS = 5_000;
const POSTGRES_STATEMENT_TIMEOUT_MS = 10_000;

interface PostgresTarget {
  name: string;
  entityRef?: string;
  /** `host:port/database`, for messages. */
  address: string;
  pool: Pool;
}

/** Everything the per-signal views share: configuration, clients and pools. */
interface Shared {
  deps: InspectionDataSourcesDeps;
  etcd: Map<string, Upstream>;
  prometheus?: Upstream;
  loki?: Upstream;
  postgres: Map<string, PostgresTarget>;
  tlsEndpoints: TlsTarget[];
}

function signalFor(signal: AbortSignal | undefined, timeoutMs: number) {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** Reads a response body to the end (rejects when the request is aborted midway). */
function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('response aborted')));
  });
}

/** The causes an aborted/failed socket carries, e.g. `ECONNREFUSED` or `This operation was aborted`. */
function causeOf(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: any } | null;
  return e?.cause?.code ?? e?.code ?? e?.message ?? String(error);
}

/** Parses the `data` of a Prometheus-style instant query answer (Prometheus, Thanos, Loki). */
export function parseInstantResult(
  upstream: Upstream,
  body: unknown,
): QuerySample[] {
  const b = body as {
    status?: string;
    error?: string;
    data?: { resultType?: string; result?: unknown };
  };
  if (b?.status !== 'success' || !b.data) {
    throw new ServiceUnavailableError(
      `${upstream.name} at ${upstream.url} answered an error: ${
        b?.error ?? 'no data'
      }`,
    );
  }
  const { resultType, result } = b.data;
  if (resultType === 'scalar') {
    const [, v] = result as [number, string];
    return [{ labels: {}, value: Number(v) }];
  }
  if (resultType === 'vector') {
    return (
      result as Array<{
        metric: Record<string, string>;
        value: [number, string];
      }>
    ).map(s => ({ labels: s.metric ?? {}, value: Number(s.value[1]) }));
  }
  throw new ServiceUnavailableError(
    `${upstream.name} at ${upstream.url} answered a ${resultType} where an instant vector was expected`,
  );
}

/** The `error` of a Prometheus/Loki JSON error body, or the text. */
function apiErrorMessage(text: string): string {
  try {
    const j = JSON.parse(text);
    if (j && typeof j.error === 'string') return j.error;
  } catch {
    // not JSON: Loki answers plain text errors
  }
  return text.trim();
}

/**
 * The real data sources of the checks (see InspectionDataSources in inspections-node): the
 * informer cache and the apiservers, etcd's client URL, Thanos Query, Loki, the configured
 * PostgreSQL targets, TLS endpoints and the event archive.
 */
export class DefaultInspectionDataSources
  implements InspectionDataSourcesService
{
  static fromConfig(
    config: Config,
    deps: InspectionDataSourcesDeps,
  ): DefaultInspectionDataSources {
    const root = config.getOptionalConfig('kubemate.inspections');
    const etcd = new Map<string, Upstream>();
    const clusters = root?.getOptionalConfig('clusters');
    for (const name of clusters?.keys() ?? []) {
      const url = clusters!.getOptionalString(`${name}.etcd.url`);
      if (url) {
        etcd.set(name, {
          name: `etcd (${name})`,
          url: url.replace(/\/+$/, ''),
          timeoutMs: 10_000,
        });
      }
    }
    const upstream = (key: string, name: string): Upstream | undefined => {
      const url = root?.getOptionalString(`${key}.url`);
      return url
        ? {
            name,
            url: url.replace(/\/+$/, ''),
            timeoutMs: root?.getOptionalNumber(`${key}.timeoutMs`) ?? 15_000,
          }
        : undefined;
    };
    const postgres = new Map<string, PostgresTarget>();
    for (const t of root?.getOptionalConfigArray('postgres.targets') ?? []) {
      const name = t.getString('name');
      const host = t.getString('host');
      const port = t.getOptionalNumber('port') ?? 5432;
      const database = t.getString('database');
      const pool = new Pool({
        host,
        port,
        user: t.getString('user'),
        password: t.getOptionalString('password'),
        database,
        max: 2,
        connectionTimeoutMillis: 5_000,
        idleTimeoutMillis: 30_000,
        statement_timeout: POSTGRES_STATEMENT_TIMEOUT_MS,
        options: '-c default_transaction_read_only=on',
        application_name: 'kubemate-inspections',
      });
      pool.on('error', err =>
        deps.logger.warn(
          `PostgreSQL target '${name}': idle connection failed: ${err.message}`,
        ),
      );
      postgres.set(name, {
        name,
        entityRef: t.getOptionalString('entityRef'),
        address: `${host}:${port}/${database}`,
        pool,
      });
    }
    const tlsEndpoints: TlsTarget[] = (
      root?.getOptionalConfigArray('tls.endpoints') ?? []
    ).map(e => ({
      name: e.getString('name'),
      host: e.getString('host'),
      port: e.getNumber('port'),
      servername: e.getOptionalString('servername'),
      entityRef: e.getOptionalString('entityRef'),
    }));
    return new DefaultInspectionDataSources({
      deps,
      etcd,
      prometheus: upstream('prometheus', 'Thanos Query'),
      loki: upstream('loki', 'Loki'),
      postgres,
      tlsEndpoints,
    });
  }

  readonly kubernetes: InspectionDataSources['kubernetes'];
  readonly etcd: InspectionDataSources['etcd'];
  readonly prometheus: InspectionDataSources['prometheus'];
  readonly loki: InspectionDataSources['loki'];
  readonly postgres: InspectionDataSources['postgres'];
  readonly events: InspectionDataSources['events'];
  readonly tls: InspectionDataSources['tls'];

  private constructor(
    private readonly shared: Shared,
    private readonly signal?: AbortSignal,
  ) {
    const { deps } = shared;
    this.kubernetes = {
      list: <K extends CachedKind>(
        cluster: string,
        kind: K,
      ): Promise<CachedKinds[K][]> => deps.cache.list(cluster, kind),
      clients: (cluster: string): KubeClients =>
        deps.clusters.portalClients(cluster),
      get: (cluster, path) => this.apiserverGet(cluster, path),
    };
    this.etcd = {
      configured: cluster => shared.etcd.has(cluster),
      get: (cluster, path) => this.etcdGet(cluster, path),
    };
    this.prometheus = {
      configured: () => !!shared.prometheus,
      query: promql =>
        this.instantQuery(
          shared.prometheus,
          'kubemate.inspections.prometheus.url',
          '/api/v1/query',
          { query: promql, dedup: 'true' },
        ),
    };
    this.loki = {
      configured: () => !!shared.loki,
      query: logql =>
        this.instantQuery(
          shared.loki,
          'kubemate.inspections.loki.url',
          '/loki/api/v1/query',
          { query: logql },
        ),
    };
    this.postgres = {
      targets: () => [...shared.postgres.keys()],
      entityRefOf: target => shared.postgres.get(target)?.entityRef,
      query: (target, sql, params) => this.sql(target, sql, params),
    };
    this.events = {
      warnings: (cluster: string, since: Date): Promise<ArchivedEvent[]> =>
        deps.events.warnings(cluster, since),
    };
    this.tls = {
      targets: () => this.tlsTargets(),
      certificate: target => this.certificate(target),
    };
  }

  withSignal(signal: AbortSignal): InspectionDataSources {
    return new DefaultInspectionDataSources(this.shared, signal);
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.shared.postgres.values()].map(t => t.pool.end()),
    );
  }

  private async apiserverGet(
    cluster: string,
    path: string,
  ): Promise<RawAnswer> {
    const clients = this.shared.deps.clusters.portalClients(cluster);
    const signal = signalFor(this.signal, DEFAULT_TIMEOUT_MS);
    try {
      const res = await clients.raw({ path, signal });
      const text = await readBody(res);
      return { status: res.statusCode ?? 0, text };
    } catch (e) {
      throw new ServiceUnavailableError(
        `Kubernetes API of cluster ${cluster} at ${
          clients.cluster.url
        } is unavailable: ${causeOf(e)}`,
      );
    }
  }

  private async etcdGet(cluster: string, path: string): Promise<RawAnswer> {
    const upstream = this.shared.etcd.get(cluster);
    if (!upstream) {
      throw new ServiceUnavailableError(
        `etcd of cluster ${cluster} is not configured (kubemate.inspections.clusters.${cluster}.etcd.url)`,
      );
    }
    try {
      const res = await fetch(`${upstream.url}${path}`, {
        signal: signalFor(
          this.signal,
          upstream.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ),
      });
      return { status: res.status, text: await res.text() };
    } catch (e) {
      throw upstreamUnavailable(upstream, e);
    }
  }

  private async instantQuery(
    upstream: Upstream | undefined,
    key: string,
    path: string,
    params: Record<string, string>,
  ): Promise<QuerySample[]> {
    if (!upstream) {
      throw new ServiceUnavailableError(`${key} is not configured`);
    }
    const res = await fetchUpstream(
      upstream,
      `${path}?${new URLSearchParams(params)}`,
      {
        signal: this.signal,
        errorMessage: apiErrorMessage,
        maxMessageLength: 500,
      },
    );
    let body: unknown;
    try {
      body = res.json();
    } catch {
      throw new ServiceUnavailableError(
        `${upstream.name} at ${upstream.url} answered a body that is not JSON`,
      );
    }
    return parseInstantResult(upstream, body);
  }

  private async sql<T>(
    name: string,
    sql: string,
    params?: unknown[],
  ): Promise<T[]> {
    const target = this.shared.postgres.get(name);
    if (!target) {
      throw notConfigured(
        'PostgreSQL',
        `PostgreSQL target '${name}' is not configured (kubemate.inspections.postgres.targets)`,
      );
    }
    this.signal?.throwIfAborted();
    try {
      const result = await target.pool.query(sql, params as any[]);
      return result.rows as T[];
    } catch (e) {
      const err = e as { message?: string; code?: string };
      const error = new ServiceUnavailableError(
        `PostgreSQL target '${name}' (${target.address}) failed: ${
          err.message || err.code || String(e)
        }`,
      );
      // the SQLSTATE, for checks that tell "not installed" from "down"
      (error as ServiceUnavailableError & { code?: string }).code = err.code;
      throw error;
    }
  }

  private tlsTargets(): TlsTarget[] {
    const apiservers: TlsTarget[] = [];
    for (const c of this.shared.deps.clusters.listClusters()) {
      const url = new URL(c.url);
      if (url.protocol !== 'https:') continue;
      apiservers.push({
        name: `${c.name} apiserver`,
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port ? Number(url.port) : 443,
      });
    }
    return [...this.shared.tlsEndpoints, ...apiservers];
  }

  private certificate(target: TlsTarget): Promise<PeerCertificate> {
    const where = `TLS endpoint '${target.name}' (${target.host}:${target.port})`;
    const signal = signalFor(this.signal, TLS_TIMEOUT_MS);
    return new Promise((resolve, reject) => {
      const servername = target.servername ?? target.host;
      const socket = tlsConnect({
        host: target.host,
        port: target.port,
        // SNI must not be an IP address
        servername: /^[\d.]+$|:/.test(servername) ? undefined : servername,
        rejectUnauthorized: false,
      });
      const fail = (cause: unknown) => {
        socket.destroy();
        reject(
          new ServiceUnavailableError(
            `${where} is unavailable: ${causeOf(cause)}`,
          ),
        );
      };
      const onAbort = () => fail(signal.reason ?? new Error('timed out'));
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        signal.removeEventListener('abort', onAbort);
        const cert = socket.getPeerX509Certificate();
        socket.end();
        if (!cert) {
          reject(
            new ServiceUnavailableError(`${where} presented no certificate`),
          );
          return;
        }
        resolve({
          subject: cert.subject.replace(/\n/g, ', '),
          issuer: cert.issuer.replace(/\n/g, ', '),
          altNames: (cert.subjectAltName ?? '')
            .split(/,\s*/)
            .filter(Boolean)
            .map(n => n.replace(/^(DNS|IP Address):/, '')),
          validFrom: new Date(cert.validFrom),
          validTo: new Date(cert.validTo),
        });
      });
    });
  }
}
