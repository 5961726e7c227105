import { readFileSync } from 'node:fs';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  describeServer,
  devStackServerFor,
  parseDevStackProgress,
} from '@kubemate/plugin-kubemate-common';

/** Whether a process with this pid exists (signal 0 probes without signalling). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The environment variable `./kubemate start` sets to the dev stack's progress.json (never in production). */
export const DEV_STACK_PROGRESS_ENV = 'KUBEMATE_DEV_STACK_PROGRESS';

/**
 * Why an upstream is not there on a developer's machine: `Loki is still building — about 6 min
 * left (local stack; see the Local stack page)`, read from the local stack's progress file named by
 * `KUBEMATE_DEV_STACK_PROGRESS`. Undefined when the variable is unset (production), the file cannot
 * be read, no server's title starts the name, or that server is up (then the upstream's own error
 * is the news). A server still to come while no `stack.sh` is working on it (the recorded one has
 * ended or died) says that the local stack is not running instead. Reads the file synchronously:
 * for error paths only. Never throws.
 */
export function localStackHint(
  upstreamName: string,
  now: Date = new Date(),
): string | undefined {
  const file = process.env[DEV_STACK_PROGRESS_ENV];
  if (!file) return undefined;
  try {
    const progress = parseDevStackProgress(readFileSync(file, 'utf8'));
    const server = devStackServerFor(progress.servers, upstreamName);
    if (!server || server.state === 'up') return undefined;
    const toCome = ['pending', 'building', 'starting'].includes(server.state);
    if (toCome && !(progress.running && isProcessAlive(progress.pid))) {
      return `${server.title} is not up and the local stack is not running: start it with ./kubemate dev up (local stack; see the Local stack page)`;
    }
    const see =
      server.state === 'failed' && server.log ? `; see ${server.log}` : '';
    return `${describeServer(
      server,
      now,
      progress.updatedAt,
    )}${see} (local stack; see the Local stack page)`;
  } catch {
    return undefined;
  }
}

/**
 * A 503 message with the local stack's hint in front when there is one:
 * `Loki is still building — about 6 min left (local stack; see the Local stack page) — <message>`.
 */
export function withLocalStackHint(
  upstreamName: string,
  message: string,
): string {
  const hint = localStackHint(upstreamName);
  return hint ? `${hint} — ${message}` : message;
}

/**
 * The 503 of a plugin whose upstream is not configured (the app-config lacks its URL), e.g.
 * `notConfigured('Loki', 'Logs are not configured: set kubemate.logs.loki.url')`. On a
 * developer's machine whose local stack has not brought that server up yet (so its connection
 * details are not in the overlay), the message says so first.
 */
export function notConfigured(
  upstreamName: string,
  detail: string,
): ServiceUnavailableError {
  return new ServiceUnavailableError(withLocalStackHint(upstreamName, detail));
}
