/*
 * The data sources against local servers made by the test: an HTTP server playing Thanos Query,
 * Loki and etcd, an HTTPS server with an openssl-made certificate playing the apiserver (its
 * certificate is read by the TLS source too), and closed ports for "down".
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConfigClusterRegistry } from '@kubemate/plugin-kubemate-node';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultInspectionDataSources } from './DefaultInspectionDataSources';

const listen = (server: net.Server) =>
  new Promise<number>(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    ),
  );
const sockets = new Set<net.Socket>();
const track = (server: net.Server) =>
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
const close = (server: net.Server) =>
  new Promise(resolve => server.close(resolve));

describe('DefaultInspectionDataSources', () => {
  let upstream: http.Server;
  let upstreamUrl: string;
  const requests: URL[] = [];
  let apiserver: https.Server;
  let apiPort: number;
  let silent: net.Server;
  let silentPort: number;
  let sources: DefaultInspectionDataSources;
  let dead: number;
  const events = { warnings: jest.fn(async () => []) };

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      requests.push(url);
      const q = url.searchParams.get('query') ?? '';
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/api/v1/query' && q === 'hang') {
        return; // never answers
      }
      if (url.pathname === '/api/v1/query' && q === 'bad(') {
        res.statusCode = 400;
        res.end(
          '{"status":"error","errorType":"bad_data","error":"parse error at char 5"}',
        );
        return;
      }
      if (url.pathname === '/api/v1/query' && q === 'scalar(1)') {
        res.end(
          '{"status":"success","data":{"resultType":"scalar","result":[1700000000,"1"]}}',
        );
        return;
      }
      if (
        url.pathname === '/api/v1/query' ||
        url.pathname === '/loki/api/v1/query'
      ) {
        res.end(
          JSON.stringify({
            status: 'success',
            data: {
              resultType: 'vector',
              result: [
                { metric: { instance: 'a:9100' }, value: [1700000000, '97.5'] },
                { metric: { instance: 'b:9100' }, value: [1700000000, 'NaN'] },
              ],
            },
          }),
        );
        return;
      }
      if (url.pathname === '/health') {
        res.statusCode = 503;
        res.end('{"health":"false","reason":"RAFT NO LEADER"}');
        return;
      }
      res.statusCode = 404;
      res.end('not found');
    });
    track(upstream);
    upstreamUrl = `http://127.0.0.1:${await listen(upstream)}`;

    const dir = mkdtempSync(join(tmpdir(), 'km-ds-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=apiserver.test',
        '-addext',
        'subjectAltName=DNS:apiserver.test,IP:127.0.0.1',
        '-days',
        '20',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    apiserver = https.createServer(
      {
        key: readFileSync(join(dir, 'key.pem')),
        cert: readFileSync(join(dir, 'cert.pem')),
      },
      (req, res) => {
        if (req.headers.authorization !== 'Bearer portal-token') {
          res.statusCode = 401;
          res.end('{"kind":"Status","message":"Unauthorized"}');
          return;
        }
        if (req.url === '/readyz?verbose') {
          res.statusCode = 500;
          res.end(
            '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed',
          );
          return;
        }
        res.end(`{"path":${JSON.stringify(req.url)}}`);
      },
    );
    track(apiserver);
    apiPort = await listen(apiserver);
    // accepts connections and never speaks TLS
    silent = net.createServer(() => {});
    track(silent);
    silentPort = await listen(silent);

    const probe = net.createServer();
    dead = await listen(probe);
    await close(probe);

    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'test',
                url: `https://127.0.0.1:${apiPort}`,
                serviceAccountToken: 'portal-token',
                skipTLSVerify: true,
              },
              {
                name: 'down',
                url: `https://127.0.0.1:${dead}`,
                serviceAccountToken: 't',
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
      kubemate: {
        inspections: {
          prometheus: { url: `${upstreamUrl}/`, timeoutMs: 1500 },
          loki: { url: upstreamUrl },
          clusters: {
            test: { etcd: { url: upstreamUrl } },
            down: { etcd: { url: `http://127.0.0.1:${dead}` } },
          },
          postgres: {
            targets: [
              {
                name: 'stack',
                host: '127.0.0.1',
                port: dead,
                user: 'u',
                password: 'p',
                database: 'd',
                entityRef: 'resource:default/dev-postgres',
              },
            ],
          },
          tls: {
            endpoints: [
              {
                name: 'gateway',
                host: '127.0.0.1',
                port: apiPort,
                servername: 'apiserver.test',
                entityRef: 'component:default/payments-api',
              },
              { name: 'closed', host: '127.0.0.1', port: dead },
              { name: 'silent', host: '127.0.0.1', port: silentPort },
            ],
          },
        },
      },
    });
    sources = DefaultInspectionDataSources.fromConfig(config, {
      clusters: ConfigClusterRegistry.fromConfig(config),
      cache: { list: jest.fn(), stop: jest.fn() },
      events,
      logger: mockServices.logger.mock(),
    });
  });

  afterAll(async () => {
    await sources.close();
    for (const s of sockets) s.destroy();
    await Promise.all([close(upstream), close(apiserver), close(silent)]);
  });

  describe('prometheus (Thanos Query)', () => {
    it('runs deduplicated instant queries and returns samples', async () => {
      expect(sources.prometheus.configured()).toBe(true);
      const samples = await sources.prometheus.query('up{job="node"}');
      expect(samples).toEqual([
        { labels: { instance: 'a:9100' }, value: 97.5 },
        { labels: { instance: 'b:9100' }, value: NaN },
      ]);
      const last = requests[requests.length - 1];
      expect(last.pathname).toBe('/api/v1/query');
      expect(last.searchParams.get('query')).toBe('up{job="node"}');
      expect(last.searchParams.get('dedup')).toBe('true');
    });

    it('returns a scalar as one sample without labels', async () => {
      expect(await sources.prometheus.query('scalar(1)')).toEqual([
        { labels: {}, value: 1 },
      ]);
    });

    it('names Thanos Query and quotes its error on a bad query', async () => {
      await expect(sources.prometheus.query('bad(')).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: `Thanos Query at ${upstreamUrl} failed (400): parse error at char 5`,
      });
    });

    it('gives up after its timeout', async () => {
      const started = Date.now();
      await expect(sources.prometheus.query('hang')).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(/^Thanos Query at .* is unavailable/),
      });
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('is aborted with the check (withSignal)', async () => {
      const controller = new AbortController();
      const scoped = sources.withSignal(controller.signal);
      setTimeout(() => controller.abort(new Error('check timed out')), 100);
      const started = Date.now();
      await expect(scoped.prometheus.query('hang')).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
      });
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });

  it('loki runs instant LogQL queries', async () => {
    expect(sources.loki.configured()).toBe(true);
    const samples = await sources.loki.query(
      'sum by (app) (count_over_time({level="error"}[15m]))',
    );
    expect(samples[0]).toEqual({ labels: { instance: 'a:9100' }, value: 97.5 });
    const last = requests[requests.length - 1];
    expect(last.pathname).toBe('/loki/api/v1/query');
    expect(last.searchParams.get('dedup')).toBeNull();
  });

  describe('etcd', () => {
    it('returns non-2xx answers', async () => {
      expect(sources.etcd.configured('test')).toBe(true);
      expect(sources.etcd.configured('prod')).toBe(false);
      expect(await sources.etcd.get('test', '/health')).toEqual({
        status: 503,
        text: '{"health":"false","reason":"RAFT NO LEADER"}',
      });
    });
    it("names the cluster's etcd when it is down or unconfigured", async () => {
      await expect(sources.etcd.get('down', '/health')).rejects.toThrow(
        `etcd (down) at http://127.0.0.1:${dead} is unavailable: ECONNREFUSED`,
      );
      await expect(sources.etcd.get('prod', '/health')).rejects.toThrow(
        'etcd of cluster prod is not configured (kubemate.inspections.clusters.prod.etcd.url)',
      );
    });
  });

  describe('kubernetes.get', () => {
    it('GETs the apiserver as the portal and returns any status with its body', async () => {
      expect(await sources.kubernetes.get('test', '/livez?verbose')).toEqual({
        status: 200,
        text: '{"path":"/livez?verbose"}',
      });
      const ready = await sources.kubernetes.get('test', '/readyz?verbose');
      expect(ready.status).toBe(500);
      expect(ready.text).toContain('[-]etcd failed');
    });
    it('names the cluster when its apiserver is down', async () => {
      await expect(
        sources.kubernetes.get('down', '/readyz'),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: `Kubernetes API of cluster down at https://127.0.0.1:${dead} is unavailable: ECONNREFUSED`,
      });
    });
  });

  describe('tls', () => {
    it('lists the configured endpoints and every https apiserver', () => {
      expect(sources.tls.targets().map(t => [t.name, t.port])).toEqual([
        ['gateway', apiPort],
        ['closed', dead],
        ['silent', silentPort],
        ['test apiserver', apiPort],
        ['down apiserver', dead],
      ]);
    });

    it('reads the presented certificate, untrusted as it is', async () => {
      const target = sources.tls.targets()[0];
      const cert = await sources.tls.certificate(target);
      expect(cert.subject).toBe('CN=apiserver.test');
      expect(cert.altNames).toEqual(['apiserver.test', '127.0.0.1']);
      const days = (cert.validTo.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(19);
      expect(days).toBeLessThanOrEqual(20);
      expect(cert.validFrom.getTime()).toBeLessThanOrEqual(Date.now());
    });

    it('names the endpoint when it is closed or never completes the handshake', async () => {
      const [, closed, silentTarget] = sources.tls.targets();
      await expect(sources.tls.certificate(closed)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: `TLS endpoint 'closed' (127.0.0.1:${dead}) is unavailable: ECONNREFUSED`,
      });
      const started = Date.now();
      await expect(
        sources
          .withSignal(AbortSignal.timeout(300))
          .tls.certificate(silentTarget),
      ).rejects.toThrow(/^TLS endpoint 'silent' .* is unavailable/);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  describe('postgres', () => {
    it('lists targets with their entity and names a target that is down', async () => {
      expect(sources.postgres.targets()).toEqual(['stack']);
      expect(sources.postgres.entityRefOf('stack')).toBe(
        'resource:default/dev-postgres',
      );
      await expect(
        sources.postgres.query('stack', 'select 1'),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(
          new RegExp(
            `^PostgreSQL target 'stack' \\(127\\.0\\.0\\.1:${dead}/d\\) failed: .*ECONNREFUSED`,
          ),
        ),
      });
      await expect(sources.postgres.query('other', 'select 1')).rejects.toThrow(
        "PostgreSQL target 'other' is not configured",
      );
    });
  });

  it('reads warnings from the event archive', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    await sources.events.warnings('test', since);
    expect(events.warnings).toHaveBeenCalledWith('test', since);
  });

  it('reports unconfigured upstreams as such', async () => {
    const bare = DefaultInspectionDataSources.fromConfig(new ConfigReader({}), {
      clusters: new ConfigClusterRegistry([]),
      cache: { list: jest.fn(), stop: jest.fn() },
      events,
      logger: mockServices.logger.mock(),
    });
    expect(bare.prometheus.configured()).toBe(false);
    expect(bare.loki.configured()).toBe(false);
    expect(bare.postgres.targets()).toEqual([]);
    expect(bare.tls.targets()).toEqual([]);
    await expect(bare.prometheus.query('up')).rejects.toThrow(
      'kubemate.inspections.prometheus.url is not configured',
    );
    await bare.close();
  });
});
