import { summarizeCluster } from './clusterOverview';

describe('summarizeCluster', () => {
  it('adds the requests of the running pods per node and in total, and counts pods per namespace and phase', () => {
    const overview = summarizeCluster('dev-cluster', {
      nodes: [
        {
          metadata: {
            name: 'node-b',
            labels: { 'node-role.kubernetes.io/worker': '' },
          },
          status: {
            conditions: [{ type: 'Ready', status: 'True' }],
            capacity: { cpu: '4', memory: '8Gi', pods: '110' },
            allocatable: {
              cpu: '3500m',
              memory: '7Gi',
              pods: '110',
              'nvidia.com/gpu': '1',
            },
          },
        },
        { metadata: { name: 'node-a' }, status: {} },
      ],
      pods: [
        {
          metadata: { namespace: 'payments-dev' },
          spec: {
            nodeName: 'node-b',
            containers: [
              {
                name: 'a',
                resources: { requests: { cpu: '250m', memory: '1Gi' } },
              },
              { name: 'g', resources: { limits: { 'nvidia.com/gpu': '1' } } },
            ],
          },
          status: { phase: 'Running' },
        },
        {
          metadata: { namespace: 'payments-dev' },
          spec: {
            nodeName: 'node-b',
            containers: [
              { name: 'done', resources: { requests: { cpu: '1' } } },
            ],
          },
          status: { phase: 'Succeeded' },
        },
      ],
      namespaces: [
        { metadata: { name: 'risk-dev' }, status: { phase: 'Active' } },
        { metadata: { name: 'payments-dev' }, status: { phase: 'Active' } },
      ],
    });
    expect(overview.nodes.map(n => n.name)).toEqual(['node-a', 'node-b']);
    const b = overview.nodes[1];
    expect(b).toMatchObject({
      ready: true,
      roles: ['worker'],
      requests: { cpu: 250, memory: 1024 ** 3, pods: 1, gpu: 1 },
      allocatable: { cpu: 3500, memory: 7 * 1024 ** 3, pods: 110, gpu: 1 },
      podCount: 1,
    });
    expect(overview.nodes[0].ready).toBe(false);
    expect(overview.totals.requests).toEqual({
      cpu: 250,
      memory: 1024 ** 3,
      pods: 1,
      gpu: 1,
    });
    expect(overview.podsByPhase).toEqual({ Running: 1, Succeeded: 1 });
    expect(overview.namespaces).toEqual([
      { name: 'payments-dev', phase: 'Active', podCount: 2 },
      { name: 'risk-dev', phase: 'Active', podCount: 0 },
    ]);
  });
});
