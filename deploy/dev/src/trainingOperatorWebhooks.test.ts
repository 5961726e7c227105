import { parse } from 'yaml';
import {
  rewriteTrainingOperatorWebhooks,
  TRAINING_OPERATOR_WEBHOOK_CONFIGURATION,
} from './trainingOperatorWebhooks';

// the shape of upstream's manifests/base/webhook/manifests.yaml (v1.9.2), two of its five webhooks
const UPSTREAM = `---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: validating-webhook-configuration
webhooks:
- admissionReviewVersions: [v1]
  clientConfig:
    service: {name: webhook-service, namespace: system, path: /validate-kubeflow-org-v1-jaxjob}
  failurePolicy: Fail
  name: validator.jaxjob.training-operator.kubeflow.org
  rules:
  - {apiGroups: [kubeflow.org], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [jaxjobs]}
  sideEffects: None
- admissionReviewVersions: [v1]
  clientConfig:
    service: {name: webhook-service, namespace: system, path: /validate-kubeflow-org-v1-pytorchjob}
  failurePolicy: Fail
  name: validator.pytorchjob.training-operator.kubeflow.org
  rules:
  - {apiGroups: [kubeflow.org], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pytorchjobs]}
  sideEffects: None
`;

describe('rewriteTrainingOperatorWebhooks', () => {
  it('keeps the enabled kinds, named as the cert rotator expects, on the URL with the CA, Ignore on failure', () => {
    const out = parse(
      rewriteTrainingOperatorWebhooks(UPSTREAM, {
        url: 'https://127.0.0.1:9320/',
        caBundle: 'Q0E=',
        kinds: ['kubeflow.org/pytorchjobs'],
      }),
    );
    expect(out.metadata.name).toBe(TRAINING_OPERATOR_WEBHOOK_CONFIGURATION);
    expect(out.webhooks).toEqual([
      expect.objectContaining({
        name: 'validator.pytorchjob.training-operator.kubeflow.org',
        clientConfig: {
          url: 'https://127.0.0.1:9320/validate-kubeflow-org-v1-pytorchjob',
          caBundle: 'Q0E=',
        },
        failurePolicy: 'Ignore',
        timeoutSeconds: 5,
        sideEffects: 'None',
      }),
    ]);
  });

  it('fails when a requested kind has no webhook (an upstream layout change)', () => {
    expect(() =>
      rewriteTrainingOperatorWebhooks(UPSTREAM, {
        url: 'https://127.0.0.1:9320',
        caBundle: 'Q0E=',
        kinds: ['kubeflow.org/tfjobs'],
      }),
    ).toThrow('no webhook for kubeflow.org/tfjobs');
  });
});
