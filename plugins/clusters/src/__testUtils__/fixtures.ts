import type { Entity } from '@backstage/catalog-model';
import type { EntityWorkloadsResponse } from '@kubemate/plugin-clusters-common';
import type { ClustersApi } from '../api/ClustersApi';

/*
 * The fixtures of the component tests: an entity with its workloads on two clusters (one
 * unreadable) and an in-memory ClustersApi.
 */

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const pod = (name: string, reason: 'Healthy' | 'CrashLoopBackOff') => ({
  name,
  namespace: 'payments-dev',
  phase: 'Running',
  nodeName: 'kwok-node-1',
  restarts: reason === 'Healthy' ? 0 : 7,
  containers: [
    {
      name: 'app',
      ready: reason === 'Healthy',
      restartCount: 0,
      state: 'running' as const,
    },
  ],
  health: {
    status: reason === 'Healthy' ? ('ok' as const) : ('error' as const),
    reason,
  },
});

export const workloads: EntityWorkloadsResponse = {
  entityRef: 'component:default/payments-api',
  labelSelector: 'backstage.io/kubernetes-id=payments-api',
  clusters: [
    {
      cluster: 'dev-cluster',
      namespaces: [
        {
          namespace: 'payments-dev',
          services: [],
          otherPods: [],
          workloads: [
            {
              kind: 'Deployment',
              name: 'payments-worker',
              namespace: 'payments-dev',
              desiredReplicas: 1,
              readyReplicas: 0,
              revision: '1',
              images: ['kubemate/payments-worker:1.0'],
              health: { status: 'error', reason: 'CrashLoopBackOff' },
              pods: [pod('payments-worker-abc', 'CrashLoopBackOff')],
              events: [
                {
                  type: 'Warning',
                  reason: 'BackOff',
                  message: 'Back-off restarting failed container',
                  involvedObject: { kind: 'Pod', name: 'payments-worker-abc' },
                },
              ],
            },
          ],
        },
      ],
    },
    {
      cluster: 'prod-cluster',
      error: 'connect ECONNREFUSED 127.0.0.1:6444',
      namespaces: [],
    },
  ],
};

export function fakeApi(overrides: Partial<ClustersApi> = {}): ClustersApi {
  const unexpected = () => {
    throw new Error('not expected in this test');
  };
  return {
    getEntityWorkloads: jest.fn(async () => workloads),
    getPodLogs: unexpected,
    getWorkloadManifest: unexpected,
    apply: unexpected,
    followPodLogs: unexpected,
    scale: jest.fn(async t => ({
      ...t,
      kind: 'Deployment',
      message: `scaled ${t.name}`,
    })),
    restart: unexpected,
    rollback: unexpected,
    deletePod: unexpected,
    listClusters: unexpected,
    getClusterOverview: unexpected,
    getAudit: unexpected,
    ...overrides,
  } as ClustersApi;
}
