import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeProvisioner } from '../__testUtils__/fakes';
import { createQuotaApplyAction, LIMITS_NAME, QUOTA_NAME } from './quota';

const targets = [
  {
    environment: 'dev',
    cluster: 'dev-cluster',
    namespace: 'payments-ledger-dev',
  },
];

describe('kubemate:quota:apply', () => {
  let provisioner: FakeProvisioner;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
  });
  const run = (ctx: ReturnType<typeof actionContext>) =>
    createQuotaApplyAction(provisioner).handler(ctx as any);

  it('applies the quota (schema defaults for gpu and pods) and the container defaults', async () => {
    const ctx = actionContext({ targets, cpu: '2', memory: '4Gi' });
    await run(ctx);
    expect(outputsOf(ctx).changes).toEqual([
      expect.objectContaining({
        kind: 'ResourceQuota',
        name: QUOTA_NAME,
        operation: 'created',
      }),
      expect.objectContaining({
        kind: 'LimitRange',
        name: LIMITS_NAME,
        operation: 'created',
      }),
    ]);
    const quota = provisioner.objects.get(
      `dev-cluster/payments-ledger-dev/ResourceQuota/${QUOTA_NAME}`,
    ) as any;
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '2',
      'limits.cpu': '2',
      'requests.memory': '4Gi',
      'limits.memory': '4Gi',
      pods: '20',
      'requests.nvidia.com/gpu': '0',
    });
    expect(provisioner.authorized[0].permission).toBe(
      'provisioning.quota.apply',
    );
  });

  it('rejects a CPU or memory that is not a Kubernetes quantity, naming the field', async () => {
    await expect(
      run(actionContext({ targets, cpu: 'two', memory: '4Gi' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^cpu must be a Kubernetes quantity.*"two"/,
      ),
    });
    await expect(
      run(actionContext({ targets, cpu: '2', memory: '4 GB' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^memory must be/),
    });
    expect(provisioner.authorized).toEqual([]);
  });

  it('stores nothing in a dry run', async () => {
    const ctx = actionContext(
      { targets, cpu: '500m', memory: '1Gi', gpu: 1, pods: 5 },
      { dryRun: true },
    );
    await run(ctx);
    expect(provisioner.objects.size).toBe(0);
    expect(provisioner.audit).toEqual([]);
    expect(outputsOf(ctx).changes).toHaveLength(2);
  });

  it('surfaces a denied permission as NotAllowedError', async () => {
    provisioner.denied.add('provisioning.quota.apply');
    const ctx = actionContext({ targets, cpu: '2', memory: '4Gi' });
    await expect(run(ctx)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(provisioner.objects.size).toBe(0);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
