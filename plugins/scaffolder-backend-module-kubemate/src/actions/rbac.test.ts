import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeProvisioner, FakeRbacClient } from '../__testUtils__/fakes';
import { createRbacBindAction } from './rbac';

const targets = [
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
];
const input = {
  role: 'payments-ledger-team',
  targets,
  members: ['group:default/team-payments'],
};
const presets = {
  grantable: ['clusters.workload.read', 'clusters.workload.scale', 'logs.read'],
  defaults: ['clusters.workload.read', 'logs.read'],
};

describe('kubemate:rbac:bind', () => {
  let provisioner: FakeProvisioner;
  let rbac: FakeRbacClient;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
    rbac = new FakeRbacClient();
  });
  const run = (ctx: ReturnType<typeof actionContext>, p = presets) =>
    createRbacBindAction(provisioner, rbac, p).handler(ctx as any);

  it('creates the role scoped to the namespaces with the default permissions, then reports it unchanged', async () => {
    const ctx = actionContext(input);
    await run(ctx);
    expect(outputsOf(ctx)).toEqual({
      role: 'payments-ledger-team',
      operation: 'created',
    });
    expect(rbac.roles.get('payments-ledger-team')).toMatchObject({
      title: 'payments-ledger-team',
      scope: {
        type: 'namespaces',
        namespaces: ['payments-ledger-dev', 'payments-ledger-prod'],
      },
      permissions: ['clusters.workload.read', 'logs.read'],
      members: ['group:default/team-payments'],
    });
    expect(provisioner.authorized[0].permission).toBe('provisioning.rbac.bind');
    expect(provisioner.audit).toEqual([
      expect.objectContaining({
        action: 'kubemate:rbac:bind',
        result: 'success',
        where: { kind: 'Role', name: 'payments-ledger-team' },
      }),
    ]);

    const again = actionContext(input);
    await run(again);
    expect(outputsOf(again).operation).toBe('unchanged');
    expect(rbac.writes).toHaveLength(1);
  });

  it('updates a role it created when the permissions change', async () => {
    await run(actionContext(input));
    const ctx = actionContext({
      ...input,
      permissions: ['clusters.workload.scale'],
    });
    await run(ctx);
    expect(outputsOf(ctx).operation).toBe('configured');
    expect(rbac.writes.map(w => w.op)).toEqual(['create', 'update']);
  });

  it('refuses permissions that are not grantable, or none at all', async () => {
    await expect(
      run(actionContext({ ...input, permissions: ['rbac.role.create'] })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'permissions: a template may not grant rbac.role.create',
      ),
    });
    await expect(
      run(actionContext(input), { grantable: [], defaults: [] }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^permissions: none given/),
    });
    expect(rbac.writes).toEqual([]);
  });

  it('never changes a role the scaffolder did not create', async () => {
    rbac.roles.set('payments-ledger-team', {
      name: 'payments-ledger-team',
      scope: { type: 'all' },
      permissions: [],
      members: [],
      source: 'file',
      editable: false,
    } as any);
    await expect(run(actionContext(input))).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(rbac.writes).toEqual([]);
  });

  it('writes nothing in a dry run and outputs what it would do', async () => {
    const ctx = actionContext(input, { dryRun: true });
    await run(ctx);
    expect(outputsOf(ctx)).toEqual({
      role: 'payments-ledger-team',
      operation: 'created',
    });
    expect(rbac.writes).toEqual([]);
    expect(provisioner.audit).toEqual([]);
  });

  it('surfaces a denied permission as NotAllowedError', async () => {
    provisioner.denied.add('provisioning.rbac.bind');
    const ctx = actionContext(input);
    await expect(run(ctx)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(rbac.writes).toEqual([]);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
