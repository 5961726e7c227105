import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeGitPublisher, FakeProvisioner } from '../__testUtils__/fakes';
import { createGitPublishAction } from './git';

describe('kubemate:git:publish', () => {
  let provisioner: FakeProvisioner;
  let publisher: FakeGitPublisher;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
    publisher = new FakeGitPublisher('http://git.local');
  });
  const run = (ctx: ReturnType<typeof actionContext>) =>
    createGitPublishAction(provisioner, publisher).handler(ctx as any);

  it('publishes the workspace with the default branch and message, and outputs the URLs', async () => {
    const ctx = actionContext({ repoName: 'payments-ledger' });
    await run(ctx);
    expect(outputsOf(ctx)).toEqual({
      remoteUrl: 'http://git.local/git/payments-ledger.git',
      repoContentsUrl: 'http://git.local/raw/payments-ledger/main',
      catalogInfoUrl:
        'http://git.local/raw/payments-ledger/main/catalog-info.yaml',
      commitHash: 'c0ffee1',
      changed: true,
    });
    expect(publisher.published).toEqual([
      expect.objectContaining({
        repo: 'payments-ledger',
        branch: 'main',
        sourceDir: ctx.workspacePath,
        message: 'Initial commit from the Kubemate service template',
        author: { name: 'Kubemate Portal', email: 'scaffolder@kubemate.local' },
      }),
    ]);
    expect(provisioner.authorized).toEqual([
      { permission: 'provisioning.repository.create', refs: [] },
    ]);
    expect(provisioner.audit).toEqual([
      expect.objectContaining({
        action: 'kubemate:git:publish',
        result: 'success',
        message: expect.stringContaining('pushed c0ffee1'),
      }),
    ]);
  });

  it('reports an unchanged repository', async () => {
    publisher.nextChanged = false;
    const ctx = actionContext({ repoName: 'payments-ledger', branch: 'dev' });
    await run(ctx);
    expect(outputsOf(ctx).changed).toBe(false);
    expect(provisioner.audit[0].message).toContain('already has this content');
  });

  it('rejects an invalid repository or branch name', async () => {
    await expect(
      run(actionContext({ repoName: 'Payments Ledger' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^repoName must match/),
    });
    await expect(
      run(actionContext({ repoName: 'payments-ledger', branch: 'a..b' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'branch "a..b" is not a valid branch name',
    });
    expect(publisher.published).toEqual([]);
  });

  it('pushes nothing in a dry run but outputs the URLs', async () => {
    const ctx = actionContext(
      { repoName: 'payments-ledger' },
      { dryRun: true },
    );
    await run(ctx);
    expect(publisher.published).toEqual([]);
    expect(provisioner.audit).toEqual([]);
    expect(outputsOf(ctx)).toEqual({
      remoteUrl: 'http://git.local/git/payments-ledger.git',
      repoContentsUrl: 'http://git.local/raw/payments-ledger/main',
      catalogInfoUrl:
        'http://git.local/raw/payments-ledger/main/catalog-info.yaml',
      changed: true,
    });
  });

  it('surfaces a denied permission as NotAllowedError', async () => {
    provisioner.denied.add('provisioning.repository.create');
    const ctx = actionContext({ repoName: 'payments-ledger' });
    await expect(run(ctx)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(publisher.published).toEqual([]);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
