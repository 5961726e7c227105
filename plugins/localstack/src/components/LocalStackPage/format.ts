import type { Formatters } from '@kubemate/plugin-kubemate-react';
import {
  devStackSecondsLeft,
  type DevStackServer,
} from '@kubemate/plugin-localstack-common';
import type { LocalStackT } from '../../translation';

/** How long ago an ISO time was, in the app's language (`3 minutes ago`, `3 分钟前`). */
export function ago(iso: string, now: Date, format: Formatters): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  return format.relative(Math.min(t, now.getTime()), now.getTime());
}

/*
 * The sentences of the page, as kubemate-common's describeServer / describeDevStack word them in
 * English (the backends' hints keep using those), in the app's language.
 */

/** `about 6 min left`, `less than a minute left`, `should be ready any moment`. */
function etaText(left: number, t: LocalStackT): string {
  if (left <= 0) return t('describe.etaAnyMoment');
  if (left < 60) return t('describe.etaUnderMinute');
  return t('describe.etaMinutes', { minutes: String(Math.ceil(left / 60)) });
}

/** `Loki is still building — about 6 min left`, `Loki is up`, `Loki failed to build: …`. */
export function describeServerText(
  server: Pick<
    DevStackServer,
    'title' | 'id' | 'state' | 'since' | 'etaSeconds' | 'error'
  >,
  t: LocalStackT,
  now: Date,
  writtenAt?: string,
): string {
  const name = server.title || server.id;
  const left = devStackSecondsLeft(server, now, writtenAt);
  const eta = left === undefined ? undefined : etaText(left, t);
  switch (server.state) {
    case 'building':
      return eta
        ? t('describe.buildingEta', { name, eta })
        : t('describe.building', { name });
    case 'starting':
      return eta
        ? t('describe.startingEta', { name, eta })
        : t('describe.starting', { name });
    case 'up':
      return t('describe.up', { name });
    case 'failed':
      return server.error
        ? t('describe.failedError', { name, error: server.error })
        : t('describe.failed', { name });
    case 'stopped':
      return t('describe.stopped', { name });
    case 'pending':
    default:
      return eta
        ? t('describe.waitingEta', { name, eta })
        : t('describe.waiting', { name });
  }
}

/** A summary of the stack: `12 of 23 servers up — about 14 min left`. */
export function describeStackText(
  servers: Array<
    Pick<DevStackServer, 'state' | 'since' | 'etaSeconds' | 'title' | 'id'>
  >,
  t: LocalStackT,
  now: Date,
  writtenAt?: string,
): string {
  const up = String(servers.filter(s => s.state === 'up').length);
  const failedCount = servers.filter(s => s.state === 'failed').length;
  const failed = String(failedCount);
  const total = String(servers.length);
  const lefts = servers
    .filter(s => s.state !== 'up' && s.state !== 'failed')
    .map(s => devStackSecondsLeft(s, now, writtenAt))
    .filter((x): x is number => x !== undefined);
  const eta = lefts.length ? etaText(Math.max(...lefts), t) : undefined;
  if (failedCount) {
    return eta
      ? t('describe.summaryFailedEta', { up, total, failed, eta })
      : t('describe.summaryFailed', { up, total, failed });
  }
  return eta
    ? t('describe.summaryEta', { up, total, eta })
    : t('describe.summary', { up, total });
}
