/*
 * The manager core's progress file and interleaved `up` (deploy/dev/stack.sh), run for real with bash
 * over a directory of small server files (KUBEMATE_DEV_SERVERS): one that builds and runs a process,
 * one whose build fails, one that needs the failed one's part, one without a title. No servers of the
 * stack are needed; jq, curl and flock must be installed (stack.sh installs jq and curl on a fresh
 * machine as root).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from './waitFor';

const STACK = resolve(__dirname, '..', 'stack.sh');

type Server = {
  id: string;
  part: string;
  title: string;
  state: string;
  since: string;
  etaSeconds: number | null;
  log: string | null;
  error: string | null;
};
type Progress = {
  version: number;
  updatedAt: string;
  startedAt: string;
  running: boolean;
  pid: number;
  servers: Server[];
};

const serverFiles: Record<string, string> = {
  // builds once the test opens its gate; runs `sleep` as its process; contributes connection details
  '10-alpha.sh': `
register_server alpha base
server_info alpha "Alpha API" 30
alpha_build() { until [[ -f $STATE/../gate ]]; do sleep 0.2; done; mkdir -p "$BIN_ROOT"; }
alpha_up() { is_ours alpha "sleep 3607" >/dev/null || start_proc alpha "$STATE/alpha.log" sleep 3607; touch "$STATE/alpha.ready"; }
alpha_servers() { echo "alpha|sleep 3607|1|10"; }
alpha_ready() { [[ -f $STATE/alpha.ready ]]; }
alpha_details() {
  is_ours alpha "sleep 3607" >/dev/null || return 0
  echo '{"stack":{"alpha":{"url":"http://127.0.0.1:1"}},"appConfig":{"kubemate":{"alpha":{"url":"http://127.0.0.1:1"}}}}'
}
`,
  '20-beta.sh': `
register_server beta broken
server_info beta "Beta" 20
beta_build() { log "compiling beta"; die "compiler exploded"; }
beta_up() { :; }
beta_servers() { :; }
beta_ready() { :; }
beta_details() { :; }
`,
  '30-gamma.sh': `
register_server gamma top base broken
server_info gamma "Gamma" 5
gamma_build() { :; }
gamma_up() { :; }
gamma_servers() { :; }
gamma_ready() { :; }
gamma_details() { :; }
`,
  // no server_info: shown by its id, default estimate
  '40-delta.sh': `
register_server delta other
delta_build() { :; }
delta_up() { log "delta is up"; }
delta_servers() { :; }
delta_ready() { :; }
delta_details() { :; }
`,
};

describe('stack.sh progress and interleaved up', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const progressFile = () => join(root, 'state', 'dev', 'progress.json');
  const readProgress = (): Progress =>
    JSON.parse(readFileSync(progressFile(), 'utf8'));
  const byId = (p: Progress) =>
    Object.fromEntries(p.servers.map(s => [s.id, s]));

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kubemate-stack-progress-'));
    mkdirSync(join(root, 'servers'));
    for (const [name, text] of Object.entries(serverFiles)) {
      writeFileSync(join(root, 'servers', name), text);
    }
    // the core runs src/appConfig.ts with the Node 22 that ./kubemate installs into the cache
    mkdirSync(join(root, 'cache', 'toolbin'), { recursive: true });
    symlinkSync(process.execPath, join(root, 'cache', 'toolbin', 'node'));
    env = {
      ...process.env,
      KUBEMATE_DEV_SERVERS: join(root, 'servers'),
      KUBEMATE_STATE: join(root, 'state'),
      KUBEMATE_CACHE: join(root, 'cache'),
      KUBEMATE_PROGRESS_TICK: '1',
    };
  });

  afterAll(() => {
    spawnSync('bash', [STACK, 'down'], { env, encoding: 'utf8' });
    rmSync(root, { recursive: true, force: true });
  });

  it('reports each server as it is built and started, and fails only what needs a failed part', async () => {
    const up = spawn('bash', [STACK, 'up'], { env, stdio: 'pipe' });
    let output = '';
    up.stderr.on('data', d => {
      output += String(d);
    });
    const exited = new Promise<number | null>(r => up.on('exit', r));

    // alpha's build waits for the gate: everything after it is pending behind its estimate
    const building = await waitFor(
      'alpha building',
      async () => {
        if (!existsSync(progressFile())) return undefined;
        const p = readProgress();
        return byId(p).alpha.state === 'building' ? p : undefined;
      },
      30_000,
      100,
    );
    expect(building).toMatchObject({
      version: 1,
      running: true,
      pid: expect.any(Number),
    });
    const s = byId(building);
    expect(s.alpha).toMatchObject({
      part: 'base',
      title: 'Alpha API',
      log: join(root, 'state', 'dev', 'logs', 'alpha.log'),
      error: null,
    });
    // its own build (≤ 30 s left) and start (10 s, the default) are ahead of it
    expect(s.alpha.etaSeconds).toBeGreaterThanOrEqual(10);
    expect(s.alpha.etaSeconds).toBeLessThanOrEqual(40);
    // a pending server waits for what is before it plus its own build (20) and start (10)
    expect(s.beta).toMatchObject({ state: 'pending', title: 'Beta' });
    expect(s.beta.etaSeconds).toBe(s.alpha.etaSeconds! + 30);
    expect(s.gamma.etaSeconds).toBe(s.beta.etaSeconds! + 15);
    // no server_info: the id as its title, a default build estimate of 60 s
    expect(s.delta).toMatchObject({ state: 'pending', title: 'delta' });
    expect(s.delta.etaSeconds).toBe(s.gamma.etaSeconds! + 70);
    expect(new Date(s.alpha.since).getTime()).not.toBeNaN();

    writeFileSync(join(root, 'state', 'gate'), '');
    expect(await exited).not.toBe(0);

    const done = readProgress();
    expect(done.running).toBe(false);
    const d = byId(done);
    expect(d.alpha).toMatchObject({ state: 'up', etaSeconds: null });
    expect(d.beta).toMatchObject({
      state: 'failed',
      error: 'compiler exploded',
    });
    expect(readFileSync(d.beta.log!, 'utf8')).toContain('compiling beta');
    expect(d.gamma).toMatchObject({
      state: 'failed',
      error: 'needs broken, which failed',
    });
    expect(d.delta).toMatchObject({ state: 'up' });
    expect(output).toContain('2 of 4 servers failed');

    // the overlay has the details of the server that came up
    const overlay = readFileSync(
      join(root, 'state', 'dev', 'app-config.stack.yaml'),
      'utf8',
    );
    expect(overlay).toContain('http://127.0.0.1:1');
    // the build that took real time is not recorded as a duration (< 10 s), but as built
    expect(existsSync(join(root, 'cache', 'build-times', 'alpha.built'))).toBe(
      true,
    );
  }, 90_000);

  it('marks every server stopped after down', () => {
    const down = spawnSync('bash', [STACK, 'down'], { env, encoding: 'utf8' });
    expect(down.status).toBe(0);
    const p = readProgress();
    expect(p.running).toBe(false);
    expect(p.servers.map(x => x.state)).toEqual([
      'stopped',
      'stopped',
      'stopped',
      'stopped',
    ]);
  }, 60_000);

  it('gives the real servers the titles the backends name their upstreams by', () => {
    const dir = resolve(__dirname, '..', 'servers');
    const titles: Record<string, string> = {};
    for (const name of readdirSync(dir).filter(f => f.endsWith('.sh'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      for (const m of text.matchAll(/^server_info (\S+) "([^"]+)" (\d+)$/gm)) {
        titles[m[1]] = m[2];
      }
    }
    expect(titles).toMatchObject({
      kubernetes: 'Kubernetes API',
      postgres: 'PostgreSQL',
      alertmanager: 'Alertmanager',
      prometheus: 'Prometheus',
      thanos: 'Thanos Query',
      loki: 'Loki',
      jaeger: 'Jaeger',
      kueue: 'Kueue',
      redis: 'Redis',
      minio: 'MinIO',
      milvus: 'Milvus',
      ollama: 'Ollama',
      mlflow: 'MLflow',
    });
  });
});
