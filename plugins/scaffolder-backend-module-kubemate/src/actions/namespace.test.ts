import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeProvisioner } from '../__testUtils__/fakes';
import { createNamespaceEnsureAction, teamName } from './namespace';

const input = {
  service: 'payments-ledger',
  team: 'group:default/team-payments',
  environments: ['dev', 'prod'],
};

describe('kubemate:namespace:ensure', () => {
  let provisioner: FakeProvisioner;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
  });
  const run = (ctx: ReturnType<typeof actionContext>) =>
    createNamespaceEnsureAction(provisioner).handler(ctx as any);

  it('creates a labelled namespace per environment and outputs the targets and changes', async () => {
    const ctx = actionContext(input);
    await run(ctx);
    const outputs = outputsOf(ctx);
    expect(outputs.targets).toEqual([
      {
        environment: 'dev',
        cluster: 'dev-cluster',
        namespace: 'payments-ledger-dev',
      },
      {
        environment: 'prod',
        cluster: 'prod-cluster',
        namespace: 'payments-ledger-prod',
      },
    ]);
    expect(outputs.changes).toEqual([
      {
        cluster: 'dev-cluster',
        namespace: undefined,
        kind: 'Namespace',
        name: 'payments-ledger-dev',
        operation: 'created',
      },
      {
        cluster: 'prod-cluster',
        namespace: undefined,
        kind: 'Namespace',
        name: 'payments-ledger-prod',
        operation: 'created',
      },
    ]);
    expect(
      provisioner.objects.get('dev-cluster//Namespace/payments-ledger-dev')
        ?.metadata?.labels,
    ).toEqual({
      'app.kubernetes.io/managed-by': 'kubemate-scaffolder',
      'kubemate.io/team': 'payments',
      'kubemate.io/service': 'payments-ledger',
      'kubemate.io/environment': 'dev',
    });
    expect(provisioner.authorized).toEqual([
      {
        permission: 'provisioning.namespace.ensure',
        refs: [
          'dev-cluster/payments-ledger-dev',
          'prod-cluster/payments-ledger-prod',
        ],
      },
    ]);
    expect(provisioner.audit.map(a => a.actor)).toEqual([
      'user:default/alice',
      'user:default/alice',
    ]);
  });

  it('reports unchanged namespaces on a second run', async () => {
    await run(actionContext(input));
    const ctx = actionContext(input);
    await run(ctx);
    expect(
      (outputsOf(ctx).changes as Array<{ operation: string }>).map(
        c => c.operation,
      ),
    ).toEqual(['unchanged', 'unchanged']);
  });

  it('stores nothing in a dry run, and outputs what it would do', async () => {
    const ctx = actionContext(input, { dryRun: true });
    await run(ctx);
    expect(provisioner.objects.size).toBe(0);
    expect(provisioner.audit).toEqual([]);
    expect(outputsOf(ctx).targets).toHaveLength(2);
    expect(
      (outputsOf(ctx).changes as Array<{ operation: string }>).map(
        c => c.operation,
      ),
    ).toEqual(['created', 'created']);
  });

  it('refuses an unknown environment before anything is written', async () => {
    const ctx = actionContext({ ...input, environments: ['dev', 'qa'] });
    await expect(run(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('unknown environment "qa"'),
    });
    expect(provisioner.objects.size).toBe(0);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('surfaces a denied permission as NotAllowedError and writes nothing', async () => {
    provisioner.denied.add('provisioning.namespace.ensure');
    const ctx = actionContext(input);
    await expect(run(ctx)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(provisioner.objects.size).toBe(0);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('takes a team by ref or by name', () => {
    expect(teamName('group:default/team-payments')).toBe('team-payments');
    expect(teamName('group:team-payments')).toBe('team-payments');
    expect(teamName('team-payments')).toBe('team-payments');
  });
});
