export interface PublishResult {
  remoteUrl: string;
  repoContentsUrl: string;
  commitHash: string;
  /** False when the branch already had exactly this content (nothing pushed). */
  changed: boolean;
}

export interface PublishOptions {
  repo: string;
  branch: string;
  sourceDir: string;
  workDir: string;
  author: { name: string; email: string };
  message: string;
}

/**
 * Publishes a directory to a repository on the configured Git host and registers its webhooks.
 * Idempotent: the same content pushes nothing, the same webhook changes nothing.
 */
export interface GitPublisher {
  /** The clone URL and the URL the repository's files are read at; InputError without a Git host. */
  urls(
    repo: string,
    branch: string,
  ): { remoteUrl: string; repoContentsUrl: string };
  /** Registers (or updates) the repository's webhook for `hook.url`. */
  ensureWebhook(
    repo: string,
    hook: { url: string; secret: string; events: string[] },
  ): Promise<'created' | 'configured' | 'unchanged'>;
  /** Creates the repository when needed and pushes the directory's content to the branch. */
  publish(options: PublishOptions): Promise<PublishResult>;
}
