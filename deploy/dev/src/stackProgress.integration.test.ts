/*
 * progress.json and the overlay's progressFile after a real `stack.sh up` (part postgres) against the
 * local stack: every registered server is listed with its title, PostgreSQL is up, its step log is
 * there, and app-config.stack.yaml points the portal at the same progress file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { requireStack } from './index';

type Progress = {
  version: number;
  updatedAt: string;
  running: boolean;
  pid: number;
  servers: Array<{
    id: string;
    title: string;
    state: string;
    since: string;
    etaSeconds: number | null;
    log: string | null;
    error: string | null;
  }>;
};

describe('the dev stack progress file (real stack.sh up)', () => {
  it('lists every server with its title, postgres up, and the overlay names it', async () => {
    const stack = await requireStack({ only: ['postgres'] });
    const dir = dirname(stack.stateFile);
    const progressFile = join(dir, 'progress.json');
    const progress = JSON.parse(readFileSync(progressFile, 'utf8')) as Progress;

    expect(progress.version).toBe(1);
    expect(progress.running).toBe(false);
    const byId = Object.fromEntries(progress.servers.map(s => [s.id, s]));
    expect(byId.postgres).toMatchObject({
      title: 'PostgreSQL',
      state: 'up',
      etaSeconds: null,
      error: null,
      log: join(dir, 'logs', 'postgres.log'),
    });
    expect(
      Date.parse(byId.postgres.since) <= Date.parse(progress.updatedAt),
    ).toBe(true);
    expect(readFileSync(byId.postgres.log!, 'utf8')).toContain('postgres: up');
    // the servers of the other parts are listed too (up or stopped by their recorded PIDs)
    expect(byId.kubernetes?.title).toBe('Kubernetes API');
    expect(byId.loki?.title).toBe('Loki');
    for (const s of progress.servers) {
      expect(['up', 'stopped', 'failed']).toContain(s.state);
      expect(s.title).not.toBe('');
    }

    const overlayFile = join(dir, 'app-config.stack.yaml');
    expect(existsSync(overlayFile)).toBe(true);
    const overlay = parse(readFileSync(overlayFile, 'utf8'));
    expect(overlay.kubemate.devStack).toMatchObject({
      stateFile: stack.stateFile,
      progressFile,
    });
  }, 600_000);
});
