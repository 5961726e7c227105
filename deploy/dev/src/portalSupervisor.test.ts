/*
 * The dev portal's supervisor (src/portalSupervisor.ts): its progress lines and restart plan as plain
 * functions, and the script itself run with Node 22 over a stand-in `backstage-cli` (a small script
 * that prints what it was started with and each restart request on its stdin) — the real CLI's
 * start takes minutes; `./kubemate start` is what runs the real one.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatLeft,
  ProgressReporter,
  RestartPlan,
  stackSecondsLeft,
  StackProgress,
  StackServer,
} from './portalSupervisor';
import { waitFor } from './waitFor';

const server = (
  id: string,
  state: StackServer['state'],
  etaSeconds: number | null = null,
  extra: Partial<StackServer> = {},
): StackServer => ({
  id,
  part: id,
  title: id,
  state,
  since: '2026-12-02T12:00:00Z',
  etaSeconds,
  log: `/s/logs/${id}.log`,
  error: null,
  ...extra,
});

const progress = (
  servers: StackServer[],
  running = true,
  startedAt = '2026-12-02T12:00:00Z',
): StackProgress => ({
  version: 1,
  updatedAt: '2026-12-02T12:01:00Z',
  startedAt,
  running,
  pid: 1,
  servers,
});

describe('formatLeft', () => {
  it('rounds minutes up and says less than a minute under 60 s', () => {
    expect(formatLeft(0)).toBe('less than a minute left');
    expect(formatLeft(59)).toBe('less than a minute left');
    expect(formatLeft(60)).toBe('about 1 min left');
    expect(formatLeft(361)).toBe('about 7 min left');
  });
});

describe('ProgressReporter', () => {
  const T0 = Date.parse('2026-12-02T12:00:00Z'); // every server's `since`

  it('summarises a new run, then announces what has been building or starting for a few seconds', () => {
    const r = new ProgressReporter();
    const p = progress([
      server('kubernetes', 'up'),
      server('loki', 'building', 360),
      server('jaeger', 'pending', 660),
      server('minio', 'failed', null, { error: 'port 9000 is in use' }),
    ]);
    expect(stackSecondsLeft(p)).toBe(660);
    expect(r.lines(p, T0 + 1000)).toEqual([
      '1 of 4 servers up; the others are coming up in the background (about 11 min left)',
      'minio: failed: port 9000 is in use (log: /s/logs/minio.log)',
    ]);
    expect(r.lines(p, T0 + 4000)).toEqual([
      'loki: building (about 6 min left)',
    ]);
    expect(r.lines(p, T0 + 9000)).toEqual([]); // once
  });

  it('says up for an announced server, nothing for no-op steps, and when the run has finished', () => {
    const r = new ProgressReporter();
    r.lines(
      progress([
        server('loki', 'building', 360),
        server('jaeger', 'pending', 660),
      ]),
      T0 + 5000,
    );
    // jaeger was already running: its steps took milliseconds
    const b = progress([
      server('loki', 'up'),
      server('jaeger', 'starting', 5, {
        since: '2026-12-02T12:06:00Z',
      }),
    ]);
    expect(r.lines(b, Date.parse('2026-12-02T12:06:00Z') + 500)).toEqual([
      'loki: up',
    ]);
    const c = progress(
      [
        server('loki', 'up'),
        server('jaeger', 'failed', null, { error: 'exited during startup' }),
      ],
      false,
    );
    expect(r.lines(c, T0 + 400_000)).toEqual([
      'jaeger: failed: exited during startup (log: /s/logs/jaeger.log)',
      'the stack has finished: 1 of 2 servers up, 1 failed (jaeger)',
    ]);
    const d = progress([server('loki', 'up'), server('jaeger', 'up')], false);
    const r2 = new ProgressReporter();
    const running = progress([
      server('loki', 'starting', 1, { since: '2026-12-02T12:10:00Z' }),
      server('jaeger', 'pending', 2),
    ]);
    r2.lines(running, Date.parse('2026-12-02T12:10:00Z'));
    expect(r2.lines(d, Date.parse('2026-12-02T12:10:01Z'))).toEqual([
      'the stack has finished: 2 of 2 servers up',
    ]);
  });

  it('starts over with a summary when another stack.sh run began', () => {
    const r = new ProgressReporter();
    r.lines(progress([server('loki', 'up')], false), T0);
    const b = progress(
      [server('loki', 'starting', 5)],
      true,
      '2026-12-02T13:00:00Z',
    );
    expect(r.lines(b, T0)[0]).toBe(
      '0 of 1 servers up; the others are coming up in the background (less than a minute left)',
    );
  });
});

describe('RestartPlan', () => {
  it('restarts once the overlay is stable, at most once per interval', () => {
    const plan = new RestartPlan(0, 10_000, 30_000);
    expect(plan.due(5_000)).toBe(false); // nothing changed
    plan.changed(12_000);
    expect(plan.due(20_000)).toBe(false); // not stable for 10 s yet
    plan.changed(21_000); // a burst: another server came up
    expect(plan.due(30_000)).toBe(false);
    expect(plan.due(31_000)).toBe(true);
    plan.restarted(31_000);
    expect(plan.due(50_000)).toBe(false);
    plan.changed(32_000);
    expect(plan.due(50_000)).toBe(false); // stable, but within 30 s of the last restart
    expect(plan.due(61_000)).toBe(true);
    plan.cancel();
    expect(plan.due(70_000)).toBe(false);
  });
});

describe('portalSupervisor.ts as a script', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kubemate-supervisor-'));
    for (const p of ['packages/app', 'packages/backend', 'node_modules/.bin']) {
      mkdirSync(join(root, p), { recursive: true });
    }
    const cli = join(root, 'node_modules', '.bin', 'backstage-cli');
    writeFileSync(
      cli,
      `#!${process.execPath}
const name = require('node:path').basename(process.cwd());
console.log('started ' + name + ' ' + process.argv.slice(2).join(' '));
process.stdin.on('data', () => console.log('restart requested'));
process.on('SIGINT', () => { console.log('stopping ' + name); process.exit(0); });
process.on('SIGTERM', () => { console.log('stopping ' + name); process.exit(0); });
`,
    );
    chmodSync(cli, 0o755);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('starts both, prints the stack lines, restarts the backend when the overlay changed, stops both', async () => {
    const overlay = join(root, 'app-config.stack.yaml');
    const progressFile = join(root, 'progress.json');
    writeFileSync(overlay, '{}\n');
    writeFileSync(
      progressFile,
      JSON.stringify(
        progress([server('loki', 'building', 120, { title: 'Loki' })]),
      ),
    );
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
        join(__dirname, 'portalSupervisor.ts'),
        '--root',
        root,
        '--config',
        '/x/app-config.yaml',
        '--overlay',
        overlay,
        '--progress',
        progressFile,
        '--stable',
        '1',
        '--min-interval',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', d => {
      out += String(d);
    });
    child.stderr.on('data', d => {
      out += String(d);
    });
    const exited = new Promise<number | null>(r => child.on('exit', r));
    const seen = (text: string) =>
      waitFor(
        `"${text}" in ${JSON.stringify(out)}`,
        async () => out.includes(text),
        15_000,
        100,
      );

    await seen(
      `[backend] started backend package start --config /x/app-config.yaml --config ${overlay}`,
    );
    await seen(
      `[app] started app package start --config /x/app-config.yaml --config ${overlay}`,
    );
    await seen('[stack] loki: building (about 2 min left)');
    expect(out).not.toContain('restart requested');

    writeFileSync(
      progressFile,
      JSON.stringify(progress([server('loki', 'up', null)], false)),
    );
    writeFileSync(overlay, '{"kubemate": {"logs": {}}}\n');
    await seen('[stack] loki: up');
    await seen('[stack] the stack has finished: 1 of 1 servers up');
    await seen('[backend] restart requested');
    expect(out).not.toContain('[app] restart requested');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('[backend] stopping backend');
    expect(out).toContain('[app] stopping app');
    expect(out).toContain('[portal] stopped.');
  }, 30_000);
});
