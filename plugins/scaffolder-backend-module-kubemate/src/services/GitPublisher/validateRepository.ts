import { InputError } from '@backstage/errors';

const REPO = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** InputError unless `repo` is a valid repository name and `branch` a valid branch name. */
export function validateRepository(repo: string, branch: string): void {
  if (!REPO.test(repo)) {
    throw new InputError(`repoName must match ${REPO} (got "${repo}")`);
  }
  if (!/^[A-Za-z0-9._/-]{1,100}$/.test(branch) || branch.includes('..')) {
    throw new InputError(`branch "${branch}" is not a valid branch name`);
  }
}
