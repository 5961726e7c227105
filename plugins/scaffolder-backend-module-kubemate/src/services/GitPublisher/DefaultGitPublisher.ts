import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { GitPublisher, PublishOptions, PublishResult } from './types';
import { validateRepository } from './validateRepository';

function git(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env } },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(`git ${args[0]} failed: ${stderr.trim() || err.message}`),
          );
        } else {
          resolve(stdout.trim());
        }
      },
    );
  });
}

/**
 * Publishes a directory to a repository on a Git host with the local Git host's layout (create
 * through `POST /api/repos`, push over smart HTTP to `/git/<name>.git`, read at
 * `/raw/<name>/<branch>/`). Idempotent: when the branch already holds exactly this tree, nothing
 * is committed or pushed.
 */
export class DefaultGitPublisher implements GitPublisher {
  constructor(private readonly baseUrl: string | undefined) {}

  urls(repo: string, branch: string) {
    const base = this.requireBase();
    return {
      remoteUrl: `${base}/git/${repo}.git`,
      repoContentsUrl: `${base}/raw/${repo}/${branch}`,
    };
  }

  private requireBase(): string {
    if (!this.baseUrl) {
      throw new InputError(
        'No Git host configured: set kubemate.provisioning.git.baseUrl (the dev stack writes it)',
      );
    }
    return this.baseUrl.replace(/\/+$/, '');
  }

  /**
   * Registers (or updates) the repository's webhook for `hook.url` through `POST
   * /api/repos/<name>/hooks`; idempotent: the same URL, secret and events change nothing.
   */
  async ensureWebhook(
    repo: string,
    hook: { url: string; secret: string; events: string[] },
  ): Promise<'created' | 'configured' | 'unchanged'> {
    const base = this.requireBase();
    let res: Response;
    try {
      res = await fetch(`${base}/api/repos/${repo}/hooks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(hook),
      });
    } catch (e) {
      throw new ServiceUnavailableError(
        `The Git host ${base} is unreachable: ${(e as Error).message}`,
      );
    }
    const text = await res.text();
    if (res.status === 404) {
      throw new InputError(
        `Repository ${repo} does not exist on the Git host ${base} (publish it first)`,
      );
    }
    if (res.status === 400) throw new InputError(`Git host: ${text}`);
    if (!res.ok) {
      throw new ServiceUnavailableError(
        `The Git host ${base} answered ${res.status}: ${text}`,
      );
    }
    if (res.status === 201) return 'created';
    return JSON.parse(text).changed ? 'configured' : 'unchanged';
  }

  async publish(options: PublishOptions): Promise<PublishResult> {
    const { repo, branch } = options;
    validateRepository(repo, branch);
    const base = this.requireBase();
    const { remoteUrl, repoContentsUrl } = this.urls(repo, branch);
    let res: Response;
    try {
      res = await fetch(`${base}/api/repos`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: repo }),
      });
    } catch (e) {
      throw new ServiceUnavailableError(
        `The Git host ${base} is unreachable: ${(e as Error).message}`,
      );
    }
    if (!res.ok) {
      const text = await res.text();
      if (res.status === 400) throw new InputError(`Git host: ${text}`);
      throw new ServiceUnavailableError(
        `The Git host ${base} answered ${res.status}: ${text}`,
      );
    }

    const dir = join(options.workDir, 'repo');
    await cp(options.sourceDir, dir, {
      recursive: true,
      filter: src => !src.split('/').includes('.git'),
    });
    const env = {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_COMMITTER_NAME: options.author.name,
      GIT_COMMITTER_EMAIL: options.author.email,
    };
    await git(['init', '--quiet', `--initial-branch=${branch}`], dir);
    await git(['add', '--all'], dir);
    const tree = await git(['write-tree'], dir);
    const remote = await git(
      ['ls-remote', remoteUrl, `refs/heads/${branch}`],
      dir,
    );
    let parent: string | undefined;
    if (remote) {
      await git(['fetch', '--quiet', remoteUrl, branch], dir);
      parent = await git(['rev-parse', 'FETCH_HEAD'], dir);
      const remoteTree = await git(['rev-parse', 'FETCH_HEAD^{tree}'], dir);
      if (remoteTree === tree) {
        return {
          remoteUrl,
          repoContentsUrl,
          commitHash: parent,
          changed: false,
        };
      }
    }
    const commit = await git(
      [
        'commit-tree',
        tree,
        ...(parent ? ['-p', parent] : []),
        '-m',
        options.message,
      ],
      dir,
      env,
    );
    await git(
      ['push', '--quiet', remoteUrl, `${commit}:refs/heads/${branch}`],
      dir,
    );
    return { remoteUrl, repoContentsUrl, commitHash: commit, changed: true };
  }
}
