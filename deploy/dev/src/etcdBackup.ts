/*
 * The dev stack's host cron runner (no dependencies): what a cron table on a control-plane host
 * would do, run as one stack server (servers/90-etcd-backup.sh, part `inspections`).
 *
 * Once at start and then every --interval-seconds it runs, one after the other:
 *   - per --etcd <cluster>=<client url>,<backup dir>: the real `etcdctl snapshot save` into
 *     <backup dir>/snapshot-<UTC time>.db, keeping the newest --keep snapshots (job
 *     `etcd-backup-<cluster>`);
 *   - per --job <name>=<shell command>: that command (`/bin/sh -c`), e.g. the seeded failing
 *     `demo-logrotate`.
 * After each round it writes the node exporter textfile --textfile (atomically: a .tmp file renamed),
 * which the stack's node exporter serves and both Prometheus replicas scrape (job="node"):
 *   kubemate_etcd_snapshot_last_success_timestamp_seconds{cluster}  newest snapshot file's mtime
 *   kubemate_etcd_snapshot_size_bytes{cluster}                      its size
 *   kubemate_etcd_snapshot_files{cluster}                           snapshots kept
 *   kubemate_cron_job_last_run_timestamp_seconds{job}               when the job last ran
 *   kubemate_cron_job_last_exit_code{job}                           its exit code (0 = success)
 *   kubemate_cron_job_last_duration_seconds{job}
 *   kubemate_cron_job_interval_seconds{job}                         how often it is meant to run
 * The snapshot series come from the files on disk, so they survive restarts of this process; a
 * cluster without a schedule has none (the seeded "no etcd snapshot" of prod-cluster).
 *
 * Run by deploy/dev/stack.sh with Node 22 (type stripping):
 *   node deploy/dev/src/etcdBackup.ts --port <port> --etcdctl <path> --textfile <file.prom> \
 *     [--interval-seconds 600] [--keep 3] --etcd dev-cluster=http://127.0.0.1:2379,<dir> ... \
 *     --job 'demo-logrotate=<command>' ...
 * GET /status on --port (127.0.0.1): every job's last run (503 until the first round is done).
 */
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

/** Every value of a repeated `--name k=v` argument, split at the first `=`. */
function pairs(name: string): Array<[string, string]> {
  return process.argv
    .flatMap((a, i) => (a === `--${name}` ? [process.argv[i + 1] ?? ''] : []))
    .map(spec => {
      const at = spec.indexOf('=');
      if (at <= 0)
        throw new Error(`--${name} takes <name>=<value> (got "${spec}")`);
      return [spec.slice(0, at), spec.slice(at + 1)] as [string, string];
    });
}

const port = Number(arg('port'));
const etcdctl = arg('etcdctl');
const textfile = arg('textfile');
const intervalSeconds = Number(arg('interval-seconds', '600'));
const keep = Number(arg('keep', '3'));
if (!(intervalSeconds > 0) || !(keep >= 1)) {
  throw new Error('--interval-seconds must be > 0 and --keep >= 1');
}

interface EtcdTarget {
  cluster: string;
  url: string;
  dir: string;
}
const etcds: EtcdTarget[] = pairs('etcd').map(([cluster, rest]) => {
  const [url, dir] = rest.split(',');
  if (!url || !dir)
    throw new Error(`--etcd ${cluster}= takes <client url>,<backup dir>`);
  return { cluster, url, dir };
});
const commands = pairs('job');

interface JobRun {
  /** Unix seconds. */
  lastRun: number;
  exitCode: number;
  durationSeconds: number;
  /** The end of its output, for /status. */
  output: string;
}
const runs = new Map<string, JobRun>();
let rounds = 0;

/** Runs a command; resolves with its exit code (a spawn error or timeout counts as a failure). */
function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ exitCode: number; output: string }> {
  return new Promise(resolvePromise => {
    execFile(
      file,
      args,
      { env, timeout: 120_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let exitCode = 0;
        if (error) {
          const code = (error as { code?: unknown }).code;
          exitCode = typeof code === 'number' ? code : 127;
        }
        const output = `${stdout}${stderr}${
          error && !stderr ? error.message : ''
        }`;
        resolvePromise({ exitCode, output: output.trim().slice(-2000) });
      },
    );
  });
}

async function runJob(
  job: string,
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const t0 = Date.now();
  const { exitCode, output } = await run(file, args, env);
  runs.set(job, {
    lastRun: Math.floor(t0 / 1000),
    exitCode,
    durationSeconds: (Date.now() - t0) / 1000,
    output,
  });
  console.log(
    `${new Date().toISOString()} ${job}: exit ${exitCode}${
      output ? ` — ${output.split('\n').at(-1)}` : ''
    }`,
  );
}

/** The snapshot files of a backup dir, newest first. */
function snapshots(
  dir: string,
): Array<{ path: string; mtimeMs: number; size: number }> {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter(n => /^snapshot-.*\.db$/.test(n))
    .map(n => {
      const s = statSync(join(dir, n));
      return { path: join(dir, n), mtimeMs: s.mtimeMs, size: s.size };
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
}

async function backup(t: EtcdTarget): Promise<void> {
  mkdirSync(t.dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\..*/, 'Z');
  await runJob(
    `etcd-backup-${t.cluster}`,
    etcdctl,
    [
      '--endpoints',
      t.url,
      '--dial-timeout',
      '5s',
      'snapshot',
      'save',
      join(t.dir, `snapshot-${stamp}.db`),
    ],
    { ...process.env, ETCDCTL_API: '3' },
  );
  for (const old of snapshots(t.dir).slice(keep))
    rmSync(old.path, { force: true });
}

const esc = (v: string) =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function writeTextfile(): void {
  const lines: string[] = [];
  const metric = (
    name: string,
    help: string,
    samples: Array<[string, string, number]>,
  ) => {
    if (!samples.length) return;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [label, value, n] of samples)
      lines.push(`${name}{${label}="${esc(value)}"} ${n}`);
  };
  const latest = etcds
    .map(t => ({ t, files: snapshots(t.dir) }))
    .filter(x => x.files.length);
  metric(
    'kubemate_etcd_snapshot_last_success_timestamp_seconds',
    'When the newest etcd snapshot of the cluster was saved (its file on disk).',
    latest.map(({ t, files }) => [
      'cluster',
      t.cluster,
      Math.floor(files[0].mtimeMs / 1000),
    ]),
  );
  metric(
    'kubemate_etcd_snapshot_size_bytes',
    'Size of the newest etcd snapshot of the cluster.',
    latest.map(({ t, files }) => ['cluster', t.cluster, files[0].size]),
  );
  metric(
    'kubemate_etcd_snapshot_files',
    'etcd snapshots of the cluster kept on disk.',
    latest.map(({ t, files }) => ['cluster', t.cluster, files.length]),
  );
  const jobs = [...runs.entries()];
  metric(
    'kubemate_cron_job_last_run_timestamp_seconds',
    'When the host cron job last ran.',
    jobs.map(([job, r]) => ['job', job, r.lastRun]),
  );
  metric(
    'kubemate_cron_job_last_exit_code',
    'Exit code of the host cron job at its last run (0 = success).',
    jobs.map(([job, r]) => ['job', job, r.exitCode]),
  );
  metric(
    'kubemate_cron_job_last_duration_seconds',
    'How long the last run of the host cron job took.',
    jobs.map(([job, r]) => ['job', job, r.durationSeconds]),
  );
  metric(
    'kubemate_cron_job_interval_seconds',
    'How often the host cron job is scheduled to run.',
    jobs.map(([job]) => ['job', job, intervalSeconds]),
  );
  writeFileSync(`${textfile}.tmp`, `${lines.join('\n')}\n`);
  renameSync(`${textfile}.tmp`, textfile);
}

async function round(): Promise<void> {
  for (const t of etcds) await backup(t);
  for (const [job, command] of commands)
    await runJob(job, '/bin/sh', ['-c', command]);
  writeTextfile();
  rounds++;
}

async function loop(): Promise<void> {
  const t0 = Date.now();
  try {
    await round();
  } catch (e) {
    console.error(
      `${new Date().toISOString()} round failed: ${(e as Error).stack}`,
    );
  }
  setTimeout(loop, Math.max(0, t0 + intervalSeconds * 1000 - Date.now()));
}

createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/status') {
    res.writeHead(rounds ? 200 : 503, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        rounds,
        intervalSeconds,
        keep,
        textfile,
        jobs: Object.fromEntries(runs),
        snapshots: Object.fromEntries(
          etcds.map(t => [
            t.cluster,
            snapshots(t.dir).map(s => ({
              ...s,
              mtime: new Date(s.mtimeMs).toISOString(),
            })),
          ]),
        ),
      }),
    );
    return;
  }
  res.writeHead(404).end();
}).listen(port, '127.0.0.1', () => {
  console.log(
    `etcd backup / host cron runner on 127.0.0.1:${port}: every ${intervalSeconds}s, ${etcds.length} etcd, ${commands.length} command job(s)`,
  );
  void loop();
});
