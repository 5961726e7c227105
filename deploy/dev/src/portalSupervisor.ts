/*
 * The dev portal's supervisor: what `./kubemate start` runs while the local stack comes up in the
 * background.
 *
 * It starts the frontend (`backstage-cli package start` in packages/app, :3000) and the backend (the
 * same in packages/backend, :7007) as two children, prefixes their output (`[app]`, `[backend]`),
 * prints a line whenever a server of the stack changes state (read from the progress file that
 * deploy/dev/stack.sh keeps: `[stack] loki: building (about 6 min left)`, `[stack] loki: up`), and
 * restarts the BACKEND only when the stack's config overlay (app-config.stack.yaml) has changed:
 * Backstage plugins read their config once, at start. The Backstage CLI's backend runner restarts
 * its backend on any data on its stdin, which this supervisor owns; the restart waits until the
 * overlay has been stable for a while and comes at most once per interval (a burst of servers coming
 * up costs one restart). The frontend dev server keeps running.
 *
 * Ctrl-C stops the portal; the background stack keeps running (`./kubemate dev down` stops it).
 *
 * Run with Node 22 (type stripping), no npm packages:
 *   node deploy/dev/src/portalSupervisor.ts --root <repo> --config <app-config.yaml>...
 *     [--overlay <app-config.stack.yaml>] [--progress <progress.json>] [--up-log <up.log>]
 *     [--stable <s>] [--min-interval <s>]
 * Its pure parts (the progress lines, the restart plan) are exported for tests.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** One server of the progress file (deploy/dev/README.md, "Progress"). */
export type StackServer = {
  id: string;
  part: string;
  title: string;
  state: 'pending' | 'building' | 'starting' | 'up' | 'failed' | 'stopped';
  since: string;
  etaSeconds: number | null;
  log: string | null;
  error: string | null;
};

/** The progress file that stack.sh writes during `build` and `up`. */
export type StackProgress = {
  version: number;
  updatedAt: string;
  startedAt: string;
  running: boolean;
  pid: number;
  servers: StackServer[];
};

/** `about 6 min left`, `less than a minute left`; minutes rounded up. */
export function formatLeft(seconds: number): string {
  if (seconds < 60) return 'less than a minute left';
  return `about ${Math.ceil(seconds / 60)} min left`;
}

function serverLine(s: StackServer): string {
  switch (s.state) {
    case 'building':
    case 'starting':
      return `${s.id}: ${s.state}${
        s.etaSeconds !== null ? ` (${formatLeft(s.etaSeconds)})` : ''
      }`;
    case 'failed':
      return `${s.id}: failed: ${s.error ?? 'see its log'}${
        s.log ? ` (log: ${s.log})` : ''
      }`;
    default:
      return `${s.id}: ${s.state}`;
  }
}

/** The seconds until the last queued server is up (null when nothing is queued). */
export function stackSecondsLeft(p: StackProgress): number | null {
  const etas = p.servers
    .map(s => s.etaSeconds)
    .filter((e): e is number => e !== null);
  return p.running && etas.length ? Math.max(...etas) : null;
}

/** A building/starting state is announced once it has lasted this long (no-op steps are not). */
export const ANNOUNCE_AFTER_MS = 3000;

/**
 * The terminal lines for the readings of the progress file: a summary when a stack.sh run begins,
 * a line when a server has been building or starting for a few seconds (a running stack's no-op
 * steps print nothing), `up` for a server so announced, every failure, and a summary when the run
 * has finished.
 */
export class ProgressReporter {
  private prev: StackProgress | undefined;
  private announced = new Set<string>();

  lines(next: StackProgress, nowMs: number): string[] {
    const lines: string[] = [];
    const prev = this.prev;
    this.prev = next;
    const up = next.servers.filter(s => s.state === 'up').length;
    const failed = next.servers.filter(s => s.state === 'failed');
    const lasted = (s: StackServer) =>
      nowMs - Date.parse(s.since) >= ANNOUNCE_AFTER_MS;
    const fresh = !prev || prev.startedAt !== next.startedAt;
    if (fresh) {
      this.announced.clear();
      const left = stackSecondsLeft(next);
      lines.push(
        next.running
          ? `${up} of ${
              next.servers.length
            } servers up; the others are coming up in the background${
              left !== null ? ` (${formatLeft(left)})` : ''
            }`
          : `${up} of ${next.servers.length} servers up`,
      );
    }
    const before = new Map((fresh ? [] : prev!.servers).map(s => [s.id, s]));
    for (const s of next.servers) {
      const was = before.get(s.id)?.state;
      if (s.state === 'building' || s.state === 'starting') {
        const key = `${s.id}:${s.state}`;
        if (!this.announced.has(key) && lasted(s)) {
          this.announced.add(key);
          lines.push(serverLine(s));
        }
      } else if (s.state === 'up' && was !== 'up') {
        if ([...this.announced].some(k => k.startsWith(`${s.id}:`))) {
          lines.push(serverLine(s));
        }
      } else if (s.state === 'failed' && (fresh || was !== 'failed')) {
        lines.push(serverLine(s));
      }
    }
    if (prev && !fresh && prev.running && !next.running) {
      lines.push(
        failed.length
          ? `the stack has finished: ${up} of ${
              next.servers.length
            } servers up, ${failed.length} failed (${failed
              .map(s => s.id)
              .join(', ')})`
          : `the stack has finished: ${up} of ${next.servers.length} servers up`,
      );
    }
    return lines;
  }
}

/**
 * When to restart the backend: after the overlay has changed and then stayed the same for
 * `stableMs`, and never sooner than `minIntervalMs` after the last (re)start.
 */
export class RestartPlan {
  private changedAt: number | undefined;
  private lastStart: number;
  private readonly stableMs: number;
  private readonly minIntervalMs: number;

  constructor(startedAt: number, stableMs: number, minIntervalMs: number) {
    this.lastStart = startedAt;
    this.stableMs = stableMs;
    this.minIntervalMs = minIntervalMs;
  }

  /** The overlay's content changed at `now`. */
  changed(now: number): void {
    this.changedAt = now;
  }

  /** Whether the backend should restart now. */
  due(now: number): boolean {
    return (
      this.changedAt !== undefined &&
      now - this.changedAt >= this.stableMs &&
      now - this.lastStart >= this.minIntervalMs
    );
  }

  /** The overlay changed back to what the backend runs with: nothing to do. */
  cancel(): void {
    this.changedAt = undefined;
  }

  /** The backend was (re)started at `now` with the overlay as it is. */
  restarted(now: number): void {
    this.changedAt = undefined;
    this.lastStart = now;
  }
}

/** Reads the progress file; undefined when it is missing or being replaced. */
export function readProgress(file: string): StackProgress | undefined {
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as StackProgress;
    return p && Array.isArray(p.servers) ? p : undefined;
  } catch {
    return undefined;
  }
}

function readText(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Writes a child's output line by line with a prefix. */
function pipeLines(
  stream: NodeJS.ReadableStream | null,
  prefix: string,
  out: NodeJS.WriteStream,
): void {
  let rest = '';
  stream?.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix} ${line}\n`);
  });
  stream?.on('end', () => {
    if (rest) out.write(`${prefix} ${rest}\n`);
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      config: { type: 'string', multiple: true },
      overlay: { type: 'string' },
      progress: { type: 'string' },
      'up-log': { type: 'string' },
      stable: { type: 'string', default: '10' },
      'min-interval': { type: 'string', default: '30' },
    },
  });
  const root = values.root;
  if (!root || !values.config?.length) {
    process.stderr.write(
      'usage: node portalSupervisor.ts --root <repo> --config <file>... [--overlay <file>] [--progress <file>] [--up-log <file>] [--stable <s>] [--min-interval <s>]\n',
    );
    process.exit(2);
  }
  const stableMs = Number(values.stable) * 1000;
  const minIntervalMs = Number(values['min-interval']) * 1000;
  const overlay = values.overlay;
  const progressFile = values.progress;
  const say = (line: string) => process.stdout.write(`[stack] ${line}\n`);
  const cli = join(root, 'node_modules', '.bin', 'backstage-cli');
  const color = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};

  const configArgs = (withOverlay: boolean) =>
    [...values.config!, ...(withOverlay && overlay ? [overlay] : [])].flatMap(
      c => ['--config', c],
    );
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const startChild = (name: 'app' | 'backend', withOverlay: boolean) => {
    const child = spawn(cli, ['package', 'start', ...configArgs(withOverlay)], {
      cwd: join(root, 'packages', name),
      env: { ...process.env, ...color, BROWSER: 'none' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    pipeLines(child.stdout, `[${name}]`, process.stdout);
    pipeLines(child.stderr, `[${name}]`, process.stderr);
    child.on('exit', (code, signal) => {
      if (children.get(name) !== child) return; // replaced on purpose
      if (!stopping) {
        process.stderr.write(
          `[portal] the ${name} exited (${
            signal ?? `code ${code}`
          }): stopping the portal\n`,
        );
        stop(1);
      }
    });
    children.set(name, child);
    return child;
  };

  let overlayAtStart = existsSync(overlay ?? '');
  startChild('app', overlayAtStart);
  startChild('backend', overlayAtStart);
  let backendOverlay = readText(overlay);
  const plan = new RestartPlan(Date.now(), stableMs, minIntervalMs);
  let lastSeen = backendOverlay;

  const restartBackend = () => {
    plan.restarted(Date.now());
    backendOverlay = readText(overlay);
    const backend = children.get('backend');
    if (overlayAtStart && backend?.stdin?.writable) {
      // the CLI's backend runner restarts its backend process on any input
      process.stdout.write(
        "[portal] the stack's connection details changed: restarting the backend\n",
      );
      backend.stdin.write('\n');
      return;
    }
    // the backend was started without the overlay (it did not exist yet): start it again with it
    process.stdout.write(
      "[portal] the stack's connection details appeared: starting the backend again with them\n",
    );
    overlayAtStart = existsSync(overlay ?? '');
    children.delete('backend');
    backend?.once('exit', () => {
      if (!stopping) startChild('backend', overlayAtStart);
    });
    backend?.kill('SIGINT');
  };

  let progress: StackProgress | undefined;
  const reporter = new ProgressReporter();
  let reportedGone = false;
  const tick = () => {
    if (progressFile) {
      const next = readProgress(progressFile);
      if (next) {
        for (const line of reporter.lines(next, Date.now())) say(line);
        if (next.running && !pidAlive(next.pid) && !reportedGone) {
          reportedGone = true;
          say(
            `stack.sh (pid ${next.pid}) stopped before it finished${
              values['up-log'] ? `: see ${values['up-log']}` : ''
            }`,
          );
        }
        progress = next;
      }
    }
    const now = Date.now();
    const text = readText(overlay);
    if (text !== undefined && text !== lastSeen) {
      lastSeen = text;
      if (text !== backendOverlay) plan.changed(now);
    }
    if (plan.due(now)) {
      if (lastSeen !== backendOverlay) restartBackend();
      else plan.cancel();
    }
  };
  const timer = setInterval(tick, 1000);
  tick();

  // Ctrl-C reaches the children too (one process group): they get a few seconds to stop on their
  // own before the supervisor signals them; SIGTERM is passed on at once.
  function stop(code: number, signal: NodeJS.Signals = 'SIGTERM') {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    const alive = [...children.values()].filter(c => c.exitCode === null);
    const signalAll = (sig: NodeJS.Signals) => {
      for (const c of alive) if (c.exitCode === null) c.kill(sig);
    };
    const timers = [
      setTimeout(() => signalAll(signal), signal === 'SIGINT' ? 5_000 : 0),
      setTimeout(() => signalAll('SIGKILL'), 20_000),
    ];
    Promise.all(
      alive.map(
        c => new Promise(r => (c.exitCode === null ? c.once('exit', r) : r(0))),
      ),
    ).then(() => {
      for (const t of timers) clearTimeout(t);
      if (progress?.running && pidAlive(progress.pid)) {
        process.stdout.write(
          `[portal] stopped. The local stack keeps coming up in the background (pid ${
            progress.pid
          }${
            values['up-log'] ? `, log ${values['up-log']}` : ''
          }); ./kubemate dev status shows it, ./kubemate dev down stops it.\n`,
        );
      } else {
        process.stdout.write(
          '[portal] stopped. The local stack keeps running; ./kubemate dev down stops it.\n',
        );
      }
      process.exit(code);
    });
  }
  process.on('SIGINT', () => stop(0, 'SIGINT'));
  process.on('SIGTERM', () => stop(0, 'SIGTERM'));
}

// As a script (./kubemate start)
if (/[\\/]portalSupervisor\.ts$/.test(process.argv[1] ?? '')) {
  main();
}
