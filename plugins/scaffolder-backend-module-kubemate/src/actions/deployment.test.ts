import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeProvisioner } from '../__testUtils__/fakes';
import { createDeploymentApplyAction } from './deployment';

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
  targets,
  service: 'payments-ledger',
  image: 'registry.local/payments-ledger:1.0.0',
};

describe('kubemate:deployment:apply', () => {
  let provisioner: FakeProvisioner;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
  });
  const run = (ctx: ReturnType<typeof actionContext>) =>
    createDeploymentApplyAction(provisioner).handler(ctx as any);

  it('applies a Deployment and a Service per target with the schema defaults', async () => {
    const ctx = actionContext(input);
    await run(ctx);
    expect(
      (outputsOf(ctx).changes as any[]).map(
        c => `${c.cluster} ${c.kind} ${c.operation}`,
      ),
    ).toEqual([
      'dev-cluster Deployment created',
      'dev-cluster Service created',
      'prod-cluster Deployment created',
      'prod-cluster Service created',
    ]);
    const deployment = provisioner.objects.get(
      'dev-cluster/payments-ledger-dev/Deployment/payments-ledger',
    ) as any;
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.metadata.labels).toMatchObject({
      app: 'payments-ledger',
      'backstage.io/kubernetes-id': 'payments-ledger',
      'kubemate.io/environment': 'dev',
    });
    const [container] = deployment.spec.template.spec.containers;
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(container.resources.requests).toEqual({
      cpu: '100m',
      memory: '128Mi',
    });
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled',
    });
    expect(provisioner.authorized[0].permission).toBe(
      'provisioning.deployment.apply',
    );
  });

  it('rejects invalid quantities and an image with spaces', async () => {
    await expect(
      run(actionContext({ ...input, cpu: 'lots' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'cpu and memory must be Kubernetes quantities (got "lots", "128Mi")',
    });
    await expect(
      run(actionContext({ ...input, image: 'registry.local/a b' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('image must not contain spaces'),
    });
    expect(provisioner.objects.size).toBe(0);
  });

  it('stores nothing in a dry run', async () => {
    const ctx = actionContext({ ...input, linkerd: false }, { dryRun: true });
    await run(ctx);
    expect(provisioner.objects.size).toBe(0);
    expect(outputsOf(ctx).changes).toHaveLength(4);
  });

  it('surfaces a denied permission as NotAllowedError', async () => {
    provisioner.denied.add('provisioning.deployment.apply');
    const ctx = actionContext(input);
    await expect(run(ctx)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(provisioner.objects.size).toBe(0);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
