import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DevStackProgress,
  parseDevStackProgress,
} from '@kubemate/plugin-kubemate-common';
import {
  isProcessAlive,
  requirePermission,
} from '@kubemate/plugin-kubemate-node';
import {
  LocalStackLogResponse,
  LocalStackServersResponse,
  localstackServerReadPermission,
} from '@kubemate/plugin-localstack-common';
import { tailLines } from './tail';
import { LocalStackService } from './types';

const isMissing = (e: unknown) =>
  (e as NodeJS.ErrnoException)?.code === 'ENOENT';

/** Whether `path` is `dir` or inside it (both resolved). */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of a file or directory; for one that does not exist yet, its resolved path. */
async function realOrResolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

export class DefaultLocalStackService implements LocalStackService {
  constructor(
    private readonly options: {
      permissions: PermissionsService;
      /** progress.json; undefined: this portal has no local stack. */
      progressFile?: string;
      /** The directories a server's log may be in. */
      logDirs: string[];
      /** Whether the recorded stack.sh is alive (default: a signal-0 probe). */
      isAlive?: (pid: number) => boolean;
    },
  ) {}

  private async authorize(credentials: BackstageCredentials) {
    await requirePermission(this.options.permissions, {
      credentials,
      permission: localstackServerReadPermission,
    });
  }

  /** The progress file, or undefined when the stack has not written one yet. */
  private async read(file: string): Promise<DevStackProgress | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw new ServiceUnavailableError(
        `The local stack's progress file ${file} cannot be read: ${
          (e as Error).message
        }`,
      );
    }
    try {
      return parseDevStackProgress(text);
    } catch (e) {
      throw new ServiceUnavailableError(
        `The local stack's progress file ${file}: ${(e as Error).message}`,
      );
    }
  }

  async servers(
    credentials: BackstageCredentials,
  ): Promise<LocalStackServersResponse> {
    await this.authorize(credentials);
    const file = this.options.progressFile;
    if (!file) return { configured: false };
    const progress = await this.read(file);
    if (!progress) return { configured: true, running: false, servers: [] };
    const alive = this.options.isAlive ?? isProcessAlive;
    return {
      configured: true,
      running: progress.running && alive(progress.pid),
      updatedAt: progress.updatedAt || undefined,
      startedAt: progress.startedAt || undefined,
      servers: progress.servers,
    };
  }

  async log(
    credentials: BackstageCredentials,
    id: string,
    lines: number,
  ): Promise<LocalStackLogResponse> {
    await this.authorize(credentials);
    const file = this.options.progressFile;
    if (!file) {
      throw new NotFoundError('This portal has no local stack');
    }
    const progress = await this.read(file);
    const server = progress?.servers.find(s => s.id === id);
    if (!server) {
      throw new NotFoundError(`The local stack has no server '${id}'`);
    }
    if (!server.log) {
      return { id, path: null, lines: [], truncated: false };
    }
    const path = await realOrResolved(server.log);
    const dirs = await Promise.all(this.options.logDirs.map(realOrResolved));
    if (!isAbsolute(server.log) || !dirs.some(d => isInside(d, path))) {
      throw new NotAllowedError(
        `The log of '${id}' (${
          server.log
        }) is not under the local stack's directories (${this.options.logDirs.join(
          ', ',
        )})`,
      );
    }
    try {
      return { id, path: server.log, ...(await tailLines(path, lines)) };
    } catch (e) {
      if (isMissing(e)) {
        return { id, path: server.log, lines: [], truncated: false };
      }
      throw new ServiceUnavailableError(
        `The log of '${id}' (${server.log}) cannot be read: ${
          (e as Error).message
        }`,
      );
    }
  }
}
