/*
 * The local dev stack's progress file (`$KUBEMATE_STATE/dev/progress.json`, written by
 * `deploy/dev/stack.sh` during `build` and `up`) and the one sentence that describes a server of it.
 * In the base because two layers read it: the Local stack page (localstack-*) and kubemate-node's
 * upstream errors ("Loki is still building — about 6 min left" instead of a bare 503).
 */

/** The state of one server of the local stack. */
export type DevStackServerState =
  | 'pending'
  | 'building'
  | 'starting'
  | 'up'
  | 'failed'
  | 'stopped';

export const DEV_STACK_SERVER_STATES: readonly DevStackServerState[] = [
  'pending',
  'building',
  'starting',
  'up',
  'failed',
  'stopped',
];

/** One entry of `servers` in progress.json. */
export interface DevStackServer {
  /** The server file's id, e.g. `loki`. */
  id: string;
  /** The stack part it belongs to, e.g. `telemetry`. */
  part: string;
  /** The name the backends' upstream errors use, e.g. `Loki`, `Kubernetes API`. */
  title: string;
  state: DevStackServerState;
  /** When it entered this state (ISO 8601). */
  since: string;
  /**
   * Best estimate of the seconds until `up`, as of when the file was written (`updatedAt`); null
   * when unknown or up.
   */
  etaSeconds: number | null;
  /** The log to show (build or run), an absolute path. */
  log: string | null;
  /** The message when failed. */
  error: string | null;
}

/** progress.json (version 1). */
export interface DevStackProgress {
  version: 1;
  updatedAt: string;
  startedAt: string;
  /** A `stack.sh build/up` is still working through the list. */
  running: boolean;
  /** The pid of that stack.sh. */
  pid: number;
  servers: DevStackServer[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads progress.json's text into the contract, or throws an Error naming what is wrong. Entries
 * without an id are dropped; a missing title is the id; unknown states are `pending`.
 */
export function parseDevStackProgress(text: string): DevStackProgress {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`progress file is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(v) || !Array.isArray(v.servers)) {
    throw new Error('progress file has no servers list');
  }
  const str = (x: unknown) => (typeof x === 'string' ? x : null);
  const servers: DevStackServer[] = [];
  for (const s of v.servers) {
    if (!isObject(s) || typeof s.id !== 'string' || !s.id) continue;
    const state = DEV_STACK_SERVER_STATES.includes(s.state as any)
      ? (s.state as DevStackServerState)
      : 'pending';
    servers.push({
      id: s.id,
      part: str(s.part) ?? '',
      title: str(s.title) || s.id,
      state,
      since: str(s.since) ?? '',
      etaSeconds:
        typeof s.etaSeconds === 'number' && Number.isFinite(s.etaSeconds)
          ? s.etaSeconds
          : null,
      log: str(s.log),
      error: str(s.error),
    });
  }
  return {
    version: 1,
    updatedAt: str(v.updatedAt) ?? '',
    startedAt: str(v.startedAt) ?? '',
    running: v.running === true,
    pid: typeof v.pid === 'number' ? v.pid : 0,
    servers,
  };
}

/**
 * Seconds still to wait for a server: its ETA counted from when it was written (`writtenAt`, the
 * file's `updatedAt`; else the server's `since`), or undefined when it has none. Negative when the
 * ETA has passed.
 */
export function devStackSecondsLeft(
  server: Pick<DevStackServer, 'since' | 'etaSeconds'>,
  now: Date = new Date(),
  writtenAt?: string,
): number | undefined {
  if (server.etaSeconds === null || server.etaSeconds === undefined) {
    return undefined;
  }
  const from = Date.parse(writtenAt || server.since);
  const elapsed = Number.isNaN(from)
    ? 0
    : Math.max(0, (now.getTime() - from) / 1000);
  return server.etaSeconds - elapsed;
}

/** `about 6 min left`, `less than a minute left`, `should be ready any moment` (minutes rounded up). */
export function describeDevStackEta(secondsLeft: number): string {
  if (secondsLeft <= 0) return 'should be ready any moment';
  if (secondsLeft < 60) return 'less than a minute left';
  return `about ${Math.ceil(secondsLeft / 60)} min left`;
}

/**
 * The sentence the Local stack page and the backends' hints use for a server:
 * `Loki is still building — about 6 min left`, `Loki is starting`, `Loki is up`,
 * `Loki failed to build: <error>`, `Loki is waiting (about 9 min left)`, `Loki is stopped`.
 * `writtenAt`: the file's `updatedAt` (what the ETA is counted from).
 */
export function describeServer(
  server: Pick<
    DevStackServer,
    'title' | 'id' | 'state' | 'since' | 'etaSeconds' | 'error'
  >,
  now: Date = new Date(),
  writtenAt?: string,
): string {
  const name = server.title || server.id;
  const left = devStackSecondsLeft(server, now, writtenAt);
  const eta = left === undefined ? undefined : describeDevStackEta(left);
  switch (server.state) {
    case 'building':
      return `${name} is still building${eta ? ` — ${eta}` : ''}`;
    case 'starting':
      return `${name} is starting${eta ? ` — ${eta}` : ''}`;
    case 'up':
      return `${name} is up`;
    case 'failed':
      return `${name} failed to build${
        server.error ? `: ${server.error}` : ''
      }`;
    case 'stopped':
      return `${name} is stopped`;
    case 'pending':
    default:
      return `${name} is waiting${eta ? ` (${eta})` : ''}`;
  }
}

/**
 * The server an upstream's error name refers to: the one whose title the name starts with
 * (`Kubernetes API of dev-cluster` → `Kubernetes API`); the longest title wins.
 */
export function devStackServerFor<T extends Pick<DevStackServer, 'title'>>(
  servers: T[],
  upstreamName: string,
): T | undefined {
  let best: T | undefined;
  for (const s of servers) {
    if (!s.title || !upstreamName.startsWith(s.title)) continue;
    const next = upstreamName.charAt(s.title.length);
    // a whole word: `Loki` matches `Loki` and `Loki of x`, not `Lokis`
    if (next && /[\w]/.test(next)) continue;
    if (!best || s.title.length > best.title.length) best = s;
  }
  return best;
}

/** A summary of the stack: `12 of 23 servers up — about 14 min left`. */
export function describeDevStack(
  servers: Array<
    Pick<DevStackServer, 'state' | 'since' | 'etaSeconds' | 'title' | 'id'>
  >,
  now: Date = new Date(),
  writtenAt?: string,
): string {
  const up = servers.filter(s => s.state === 'up').length;
  const failed = servers.filter(s => s.state === 'failed').length;
  let text = `${up} of ${servers.length} servers up`;
  if (failed) text += `, ${failed} failed`;
  const lefts = servers
    .filter(s => s.state !== 'up' && s.state !== 'failed')
    .map(s => devStackSecondsLeft(s, now, writtenAt))
    .filter((x): x is number => x !== undefined);
  if (lefts.length) text += ` — ${describeDevStackEta(Math.max(...lefts))}`;
  return text;
}
