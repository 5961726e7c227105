/*
 * src/kueueWebhooks.ts on webhook manifests shaped like upstream's config/components/webhook/
 * manifests.yaml (no servers needed; the rewritten configurations are exercised against the real
 * Kueue by kueue.integration.test.ts).
 */
import { parseAllDocuments } from 'yaml';
import { rewriteWebhooks } from './kueueWebhooks';

function webhook(name: string, path: string, group: string, resource: string) {
  return `- admissionReviewVersions: [v1]
  clientConfig:
    service:
      name: webhook-service
      namespace: system
      path: ${path}
  failurePolicy: Fail
  name: ${name}
  rules:
  - apiGroups: ['${group}']
    apiVersions: [v1]
    operations: [CREATE, UPDATE]
    resources: [${resource}]
  sideEffects: None
`;
}

const MANIFESTS = `---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: mutating-webhook-configuration
webhooks:
${webhook(
  'mclusterqueue.kb.io',
  '/mutate-kueue-x-k8s-io-v1beta2-clusterqueue',
  'kueue.x-k8s.io',
  'clusterqueues',
)}${webhook(
  'mdeployment.kb.io',
  '/mutate-apps-v1-deployment',
  'apps',
  'deployments',
)}${webhook('mjob.kb.io', '/mutate-batch-v1-job', 'batch', 'jobs')}${webhook(
  'mpod.kb.io',
  '/mutate--v1-pod',
  '',
  'pods',
)}${webhook(
  'mpytorchjob.kb.io',
  '/mutate-kubeflow-org-v1-pytorchjob',
  'kubeflow.org',
  'pytorchjobs',
)}---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: validating-webhook-configuration
webhooks:
${webhook(
  'vcohort.kb.io',
  '/validate-kueue-x-k8s-io-v1beta2-cohort',
  'kueue.x-k8s.io',
  'cohorts',
)}${webhook('vjob.kb.io', '/validate-batch-v1-job', 'batch', 'jobs')}${webhook(
  'vraycluster.kb.io',
  '/validate-ray-io-v1-raycluster',
  'ray.io',
  'rayclusters',
)}`;

const OPTS = {
  url: 'https://127.0.0.1:9310/',
  caBundle: 'Q0E=',
  jobKinds: ['batch/jobs'],
  prefix: 'kueue-',
};

function configurations(yaml: string): any[] {
  return parseAllDocuments(yaml).map(d => d.toJS());
}

describe('rewriteWebhooks', () => {
  it('keeps the Kueue-CRD and Job webhooks, pointed at the URL with the CA', () => {
    const [mutating, validating] = configurations(
      rewriteWebhooks(MANIFESTS, OPTS),
    );
    expect(mutating.kind).toBe('MutatingWebhookConfiguration');
    expect(mutating.metadata.name).toBe('kueue-mutating-webhook-configuration');
    expect(mutating.webhooks.map((w: any) => w.name)).toEqual([
      'mclusterqueue.kb.io',
      'mjob.kb.io',
    ]);
    expect(mutating.webhooks[1].clientConfig).toEqual({
      url: 'https://127.0.0.1:9310/mutate-batch-v1-job',
      caBundle: 'Q0E=',
    });
    expect(mutating.webhooks[1].failurePolicy).toBe('Fail');
    expect(validating.metadata.name).toBe(
      'kueue-validating-webhook-configuration',
    );
    expect(validating.webhooks.map((w: any) => w.name)).toEqual([
      'vcohort.kb.io',
      'vjob.kb.io',
    ]);
  });

  it('sends only queue-labelled Jobs to Kueue, and every object of its own kinds', () => {
    const [mutating, validating] = configurations(
      rewriteWebhooks(MANIFESTS, OPTS),
    );
    const selector = {
      matchExpressions: [
        { key: 'kueue.x-k8s.io/queue-name', operator: 'Exists' },
      ],
    };
    expect(mutating.webhooks[1].objectSelector).toEqual(selector);
    expect(validating.webhooks[1].objectSelector).toEqual(selector);
    expect(mutating.webhooks[0].objectSelector).toBeUndefined();
  });

  it('keeps the webhooks of further job kinds when asked (PyTorchJob)', () => {
    const [mutating] = configurations(
      rewriteWebhooks(MANIFESTS, {
        ...OPTS,
        jobKinds: ['batch/jobs', 'kubeflow.org/pytorchjobs'],
      }),
    );
    expect(mutating.webhooks.map((w: any) => w.name)).toEqual([
      'mclusterqueue.kb.io',
      'mjob.kb.io',
      'mpytorchjob.kb.io',
    ]);
    expect(mutating.webhooks[2].clientConfig.url).toBe(
      'https://127.0.0.1:9310/mutate-kubeflow-org-v1-pytorchjob',
    );
  });

  it('refuses manifests without a requested webhook (upstream layout changed)', () => {
    expect(() =>
      rewriteWebhooks(MANIFESTS, {
        ...OPTS,
        jobKinds: ['jobset.x-k8s.io/jobsets'],
      }),
    ).toThrow('no webhook for jobset.x-k8s.io/jobsets');
    expect(() => rewriteWebhooks(MANIFESTS, { ...OPTS, jobKinds: [] })).toThrow(
      'at least one job kind',
    );
  });
});
