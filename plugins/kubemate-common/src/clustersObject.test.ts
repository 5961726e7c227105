import { clustersObjectRef, parseClustersObjectRef } from './clustersObject';

describe('clustersObjectRef', () => {
  it('names an object, or its namespace when the resource or the name is missing', () => {
    expect(
      clustersObjectRef({
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        resource: 'deployments',
        name: 'payments-api',
      }),
    ).toBe('dev-cluster/payments-dev/deployments/payments-api');
    expect(
      clustersObjectRef({ cluster: 'dev-cluster', namespace: 'payments-dev' }),
    ).toBe('dev-cluster/payments-dev');
    // a manifest being applied has a name but no resource yet: the namespace decides
    expect(
      clustersObjectRef({
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'payments-api',
      }),
    ).toBe('dev-cluster/payments-dev');
  });

  it('parses what it produces and rejects anything else', () => {
    for (const o of [
      { cluster: 'c', namespace: 'n' },
      { cluster: 'c', namespace: 'n', resource: 'pods', name: 'p' },
    ]) {
      expect(parseClustersObjectRef(clustersObjectRef(o))).toEqual(o);
    }
    for (const bad of ['c', 'c/n/pods', 'c//pods/p', 'c/n/pods/p/x', '']) {
      expect(parseClustersObjectRef(bad)).toBeUndefined();
    }
  });
});
