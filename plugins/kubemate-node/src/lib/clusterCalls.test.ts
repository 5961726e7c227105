import { InputError, NotFoundError } from '@backstage/errors';
import { ClusterRegistryService } from '../services/ClusterRegistry';
import {
  clustersOf,
  errorMessage,
  isNamedError,
  kubeCall,
  perCluster,
} from './clusterCalls';

const registry = {
  listClusters: () => [{ name: 'dev-cluster' }, { name: 'prod-cluster' }],
} as unknown as ClusterRegistryService;

describe('cluster calls', () => {
  it('covers the cluster asked for, every cluster, or refuses an unknown one naming the known', () => {
    expect(clustersOf(registry)).toEqual(['dev-cluster', 'prod-cluster']);
    expect(clustersOf(registry, 'prod-cluster')).toEqual(['prod-cluster']);
    expect(() => clustersOf(registry, 'nope')).toThrow(
      "cluster: unknown cluster 'nope' (known: dev-cluster, prod-cluster)",
    );
  });

  it('names the Kubernetes API of a cluster that does not answer in time', async () => {
    const never = new Promise<string>(() => {});
    await expect(kubeCall('dev-cluster', never, 20)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('Kubernetes API of dev-cluster'),
    });
    await expect(kubeCall('dev-cluster', Promise.resolve('ok'))).resolves.toBe(
      'ok',
    );
  });

  it('reports a failing cluster in errors while the others answer', async () => {
    const { results, errors } = await perCluster(
      ['dev-cluster', 'prod-cluster'],
      async c => {
        if (c === 'prod-cluster') throw new Error('connection refused');
        return 3;
      },
    );
    expect(results).toEqual([{ cluster: 'dev-cluster', value: 3 }]);
    expect(errors).toEqual([
      { cluster: 'prod-cluster', message: 'connection refused' },
    ]);
  });

  it('tells errors apart by name and reads any thrown value', () => {
    expect(isNamedError(new NotFoundError('x'), 'NotFoundError')).toBe(true);
    expect(isNamedError(new InputError('x'), 'NotFoundError')).toBe(false);
    expect(errorMessage('plain')).toBe('plain');
  });
});
