import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeGitPublisher, FakeProvisioner } from '../__testUtils__/fakes';
import { createTektonPipelineAction } from './tekton';
import { WEBHOOK_SECRET_KEY } from './triggers';

const targets = [
  {
    environment: 'dev',
    cluster: 'dev-cluster',
    namespace: 'payments-ledger-dev',
  },
];
const input = {
  targets,
  service: 'payments-ledger',
  gitUrl: 'http://git.local/git/payments-ledger.git',
  image: 'registry.local/payments-ledger',
};
const listener = 'http://el-{name}.{namespace}.svc:8080';

describe('kubemate:tekton:pipeline', () => {
  let provisioner: FakeProvisioner;
  let publisher: FakeGitPublisher;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
    publisher = new FakeGitPublisher();
  });
  const run = (ctx: ReturnType<typeof actionContext>) =>
    createTektonPipelineAction(provisioner, publisher, {
      listenerUrl: listener,
    }).handler(ctx as any);
  const kinds = (ctx: ReturnType<typeof actionContext>) =>
    (outputsOf(ctx).changes as any[]).map(c => `${c.kind} ${c.operation}`);

  it('applies the Pipeline and its triggers, then changes nothing on a second run (the webhook secret is kept)', async () => {
    const ctx = actionContext(input);
    await run(ctx);
    expect(kinds(ctx)[0]).toBe('Pipeline created');
    expect(kinds(ctx)).toEqual(
      expect.arrayContaining([
        'Secret created',
        'EventListener created',
        'TriggerTemplate created',
        'TriggerBinding created',
      ]),
    );
    const pipeline = provisioner.objects.get(
      'dev-cluster/payments-ledger-dev/Pipeline/payments-ledger-ci',
    ) as any;
    // runtime defaults to node
    expect(
      pipeline.spec.tasks.find((t: any) => t.name === 'test').taskSpec.steps[0]
        .image,
    ).toBe('node:22');
    expect(provisioner.authorized[0].permission).toBe(
      'provisioning.pipeline.apply',
    );

    const again = actionContext(input);
    await run(again);
    expect(kinds(again).every(k => k.endsWith('unchanged'))).toBe(true);
  });

  it('registers the signed push webhook of the listener with repoName', async () => {
    const ctx = actionContext({ ...input, repoName: 'payments-ledger' });
    await run(ctx);
    expect(kinds(ctx)).toContain('Webhook created');
    const [[, hook]] = [...publisher.hooks.entries()];
    const secret = (
      provisioner.objects.get(
        'dev-cluster/payments-ledger-dev/Secret/payments-ledger-webhook',
      ) as any
    ).data[WEBHOOK_SECRET_KEY];
    expect(hook).toEqual({
      secret: Buffer.from(secret, 'base64').toString('utf8'),
      events: ['push'],
    });
    expect(provisioner.authorized.map(a => a.permission)).toEqual([
      'provisioning.repository.create',
      'provisioning.pipeline.apply',
    ]);
  });

  it('rejects an invalid repository name before anything is written', async () => {
    await expect(
      run(actionContext({ ...input, repoName: 'Not A Repo' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^repoName must match/),
    });
    expect(provisioner.objects.size).toBe(0);
  });

  it('stores nothing and registers no webhook in a dry run, and outputs the would-be changes', async () => {
    const ctx = actionContext(
      { ...input, repoName: 'payments-ledger', runtime: 'go' },
      { dryRun: true },
    );
    await run(ctx);
    expect(provisioner.objects.size).toBe(0);
    expect(publisher.hooks.size).toBe(0);
    expect(kinds(ctx)).toContain('Webhook created');
    expect(kinds(ctx)).toContain('Pipeline created');
  });

  it('surfaces a denied permission as NotAllowedError', async () => {
    provisioner.denied.add('provisioning.pipeline.apply');
    const ctx = actionContext(input);
    await expect(run(ctx)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(provisioner.objects.size).toBe(0);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
