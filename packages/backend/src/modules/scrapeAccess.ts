/*
 * Who may read the unauthenticated Prometheus endpoints: the backend's GET /metrics
 * (./requestMetrics.ts) and the plugins' GET /api/<plugin>/metrics (inspections, rag, gpu,
 * finetuning: `addAuthPolicy({ path: '/metrics', allow: 'unauthenticated' })`).
 *
 * Their label values name clusters, cluster queues (teams), inspection grades and finding counts:
 * no users, tokens or entity contents, but an inventory an outsider should not read. Prometheus
 * scrapes the pod directly; a browser or anyone else on the internet reaches the backend through
 * the Ingress (or another proxy), which adds X-Forwarded-For / Forwarded. So:
 *
 *   kubemate.backendMetrics.allowFrom        CIDRs whose direct connections may scrape
 *                                            (default: loopback and the private ranges)
 *   kubemate.backendMetrics.allowForwarded   also answer requests that came through a proxy
 *                                            (default false)
 *
 * Anything else gets 403 in Backstage's error shape. A browser navigation to /metrics (Accept
 * preferring text/html: the frontend's page of that path) is not a scrape and passes through.
 */
import type { RequestHandler } from 'express';
import { BlockList, isIP } from 'node:net';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';

export const SCRAPE_ALLOW_FROM_KEY = 'kubemate.backendMetrics.allowFrom';
export const SCRAPE_ALLOW_FORWARDED_KEY =
  'kubemate.backendMetrics.allowForwarded';

/** Loopback and private networks (RFC 1918, RFC 4193): where a cluster's Prometheus scrapes from. */
export const DEFAULT_SCRAPE_ALLOW_FROM = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::1/128',
  'fc00::/7',
];

/** The backend's and the plugins' Prometheus endpoints. */
const SCRAPE_PATH = /^\/(?:api\/[^/]+\/)?metrics\/?$/i;

const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

function blockListOf(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(address)) {
      throw new Error(`${SCRAPE_ALLOW_FROM_KEY}: not an IP or CIDR: ${cidr}`);
    }
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

/** Express middleware for the root router, before the routes (see the file comment). */
export function createScrapeAccessGuard(config: Config): RequestHandler {
  const allowed = blockListOf(
    config.getOptionalStringArray(SCRAPE_ALLOW_FROM_KEY) ??
      DEFAULT_SCRAPE_ALLOW_FROM,
  );
  const allowForwarded =
    config.getOptionalBoolean(SCRAPE_ALLOW_FORWARDED_KEY) ?? false;
  return (req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!SCRAPE_PATH.test(req.path)) return next();
    if (
      req.path.toLowerCase().startsWith('/metrics') &&
      req.accepts([
        'text/plain',
        'application/openmetrics-text',
        'text/html',
      ]) === 'text/html'
    ) {
      return next();
    }
    if (!allowForwarded && PROXY_HEADERS.some(h => req.headers[h])) {
      return next(
        new NotAllowedError(
          `Prometheus metrics are not served through a proxy (${SCRAPE_ALLOW_FORWARDED_KEY})`,
        ),
      );
    }
    // the connection's own address: X-Forwarded-For is not trusted here
    let remote = req.socket.remoteAddress ?? '';
    if (remote.startsWith('::ffff:') && isIP(remote.slice(7)) === 4) {
      remote = remote.slice(7);
    }
    const type = isIP(remote) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(remote) || !allowed.check(remote, type)) {
      return next(
        new NotAllowedError(
          `Prometheus metrics are served to ${SCRAPE_ALLOW_FROM_KEY} only`,
        ),
      );
    }
    return next();
  };
}
