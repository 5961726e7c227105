import {
  getEntityKubernetesSelector,
  isKubernetesAvailable,
  labelsMatch,
} from './annotations';

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('annotations', () => {
  it('finds objects by kubernetes-id, optionally limited to a namespace', () => {
    const e = entity({
      'backstage.io/kubernetes-id': 'payments-api',
      'backstage.io/kubernetes-namespace': 'payments-dev',
    });
    expect(isKubernetesAvailable(e)).toBe(true);
    const selector = getEntityKubernetesSelector(e)!;
    expect(selector).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=payments-api',
      labels: { 'backstage.io/kubernetes-id': 'payments-api' },
      namespace: 'payments-dev',
    });
    expect(
      labelsMatch(selector, { 'backstage.io/kubernetes-id': 'payments-api' }),
    ).toBe(true);
    expect(labelsMatch(selector, { app: 'payments-api' })).toBe(false);
  });

  it('prefers the label selector annotation', () => {
    const selector = getEntityKubernetesSelector(
      entity({
        'backstage.io/kubernetes-id': 'ignored',
        'backstage.io/kubernetes-label-selector': 'app=a,tier==web',
      }),
    )!;
    expect(selector.labels).toEqual({ app: 'a', tier: 'web' });
    expect(isKubernetesAvailable(entity({}))).toBe(false);
    expect(getEntityKubernetesSelector(entity({}))).toBeUndefined();
  });
});
