import { listenerUrl, triggerObjects } from './triggers';

const target = {
  environment: 'dev',
  cluster: 'dev-cluster',
  namespace: 'payments-ledger-dev',
};
const objects = triggerObjects(
  { service: 'payments-ledger', pipeline: 'payments-ledger-ci' },
  target,
  's3cret',
);
const byKind = (kind: string) => objects.find(o => o.kind === kind) as any;

describe('triggerObjects', () => {
  it('keeps the webhook secret in a Secret the github interceptor checks push events against', () => {
    expect(byKind('Secret')).toMatchObject({
      metadata: { name: 'payments-ledger-webhook' },
      data: { token: Buffer.from('s3cret').toString('base64') },
    });
    const [github, cel] = byKind('EventListener').spec.triggers[0].interceptors;
    expect(github).toEqual({
      ref: { name: 'github', kind: 'ClusterInterceptor' },
      params: [
        {
          name: 'secretRef',
          value: { secretName: 'payments-ledger-webhook', secretKey: 'token' },
        },
        { name: 'eventTypes', value: ['push'] },
      ],
    });
    expect(cel.ref.name).toBe('cel');
  });

  it('runs the listener as its own ServiceAccount with upstream EventListener role', () => {
    const listener = byKind('EventListener');
    expect(listener.spec.serviceAccountName).toBe('payments-ledger-listener');
    expect(byKind('RoleBinding')).toMatchObject({
      metadata: {
        name: 'payments-ledger-listener',
        namespace: 'payments-ledger-dev',
      },
      roleRef: {
        kind: 'ClusterRole',
        name: 'tekton-triggers-eventlistener-roles',
      },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: 'payments-ledger-listener',
          namespace: 'payments-ledger-dev',
        },
      ],
    });
  });

  it('starts the pipeline with the pushed commit, branch and clone URL', () => {
    expect(byKind('TriggerBinding').spec.params).toEqual([
      { name: 'revision', value: '$(body.after)' },
      { name: 'branch', value: '$(extensions.branch)' },
      { name: 'repo-url', value: '$(body.repository.clone_url)' },
      { name: 'image-tag', value: '$(body.after)' },
    ]);
    const [run] = byKind('TriggerTemplate').spec.resourcetemplates;
    expect(run.spec.pipelineRef).toEqual({ name: 'payments-ledger-ci' });
    expect(run.spec.params).toContainEqual({
      name: 'revision',
      value: '$(tt.params.revision)',
    });
    const overlays =
      byKind('EventListener').spec.triggers[0].interceptors[1].params;
    expect(overlays).toContainEqual({
      name: 'overlays',
      value: [
        { key: 'branch', expression: "body.ref.replace('refs/heads/', '')" },
      ],
    });
  });

  it('labels everything for the entity and its environment', () => {
    for (const o of objects) {
      expect([o.kind, o.metadata.namespace, o.metadata.labels]).toEqual([
        o.kind,
        'payments-ledger-dev',
        expect.objectContaining({
          'backstage.io/kubernetes-id': 'payments-ledger',
          'kubemate.io/environment': 'dev',
          'app.kubernetes.io/managed-by': 'kubemate-scaffolder',
        }),
      ]);
    }
  });
});

describe('listenerUrl', () => {
  it('fills the configured template', () => {
    expect(
      listenerUrl(
        'http://127.0.0.1:9190/{cluster}/{namespace}/{name}',
        target,
        'payments-ledger-listener',
      ),
    ).toBe(
      'http://127.0.0.1:9190/dev-cluster/payments-ledger-dev/payments-ledger-listener',
    );
  });

  it("defaults to the listener's in-cluster Service", () => {
    expect(listenerUrl(undefined, target, 'payments-ledger-listener')).toBe(
      'http://el-payments-ledger-listener.payments-ledger-dev.svc.cluster.local:8080',
    );
  });
});
