/*
 * HAProxy (Debian package) in front of backend replicas, with the launcher's own configuration
 * (deploy/ha/haproxy.cfg), for integration tests.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot, waitFor } from '@kubemate/dev-stack';

export interface Haproxy {
  url: string;
  proc: ChildProcess;
  output: string[];
}

/** The haproxy binary, or undefined when it is not installed (./kubemate test installs it). */
export function haproxyBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v haproxy'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Starts HAProxy on `port` (127.0.0.1) in front of two replicas (host:port each) and waits until
 * the balancer answers the backend's readiness.
 */
export async function startHaproxy(options: {
  port: number;
  replicas: [string, string];
}): Promise<Haproxy> {
  const bin = haproxyBinary();
  if (!bin)
    throw new Error('haproxy is not installed (apt-get install haproxy)');
  const output: string[] = [];
  const proc = spawn(
    bin,
    ['-db', '-f', resolve(repoRoot, 'deploy/ha/haproxy.cfg')],
    {
      env: {
        ...process.env,
        KUBEMATE_HA_BIND: '127.0.0.1',
        KUBEMATE_HA_PORT: String(options.port),
        KUBEMATE_HA_REPLICA1: options.replicas[0],
        KUBEMATE_HA_REPLICA2: options.replicas[1],
      },
    },
  );
  proc.stdout!.on('data', d => output.push(String(d)));
  proc.stderr!.on('data', d => output.push(String(d)));
  const url = `http://127.0.0.1:${options.port}`;
  await waitFor(
    'haproxy in front of the replicas',
    async () => {
      if (proc.exitCode !== null) {
        throw new Error(`haproxy exited:\n${output.join('').slice(-2000)}`);
      }
      const res = await fetch(`${url}/.backstage/health/v1/readiness`).catch(
        () => undefined,
      );
      return res?.ok ? true : undefined;
    },
    30_000,
  );
  return { url, proc, output };
}

export async function stopHaproxy(h: Haproxy | undefined) {
  if (!h || h.proc.exitCode !== null || h.proc.signalCode !== null) return;
  const exited = new Promise(r => h.proc.once('exit', r));
  h.proc.kill('SIGTERM');
  await Promise.race([exited, new Promise(r => setTimeout(r, 5_000))]);
  if (h.proc.exitCode === null && h.proc.signalCode === null)
    h.proc.kill('SIGKILL');
}
