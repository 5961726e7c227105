/*
 * The transform the watch-based cache applies before storing an object, and that the cache
 * applies it to the initial list and to watch events alike (a minimal HTTP stand-in for the
 * apiserver: list and watch of pods).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from '@kubemate/dev-stack';
import { createKubeClients, makeKubeConfig } from '../../lib/kubeClients';
import {
  ClusterDetails,
  ClusterRegistryService,
} from '../ClusterRegistry/types';
import { InformerResourceCache } from './InformerResourceCache';
import {
  LAST_APPLIED_ANNOTATION,
  stripCachedObject,
} from './stripCachedObject';

const managedFields = [
  {
    manager: 'kubectl',
    operation: 'Apply',
    apiVersion: 'v1',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } } },
  },
];

const pod = (name: string, resourceVersion = '1') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'ns',
    resourceVersion,
    labels: { app: 'web', 'backstage.io/kubernetes-id': 'web' },
    annotations: {
      [LAST_APPLIED_ANNOTATION]: '{"apiVersion":"v1","kind":"Pod"}',
      'kubemate.dev/simulate': 'crashloop',
    },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1' },
    ],
    managedFields,
  },
  spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'web:1' }] },
  status: { phase: 'Running' },
});

describe('stripCachedObject', () => {
  it('drops managedFields and the last-applied-configuration annotation, nothing else', () => {
    const stripped = stripCachedObject(pod('a'));
    const expected = pod('a') as any;
    delete expected.metadata.managedFields;
    delete expected.metadata.annotations[LAST_APPLIED_ANNOTATION];
    expect(stripped).toEqual(expected);
    expect(stripped.metadata).not.toHaveProperty('managedFields');
    expect(stripped.metadata.annotations).toEqual({
      'kubemate.dev/simulate': 'crashloop',
    });
  });

  it('mutates and returns the same object', () => {
    const obj = pod('a');
    expect(stripCachedObject(obj)).toBe(obj);
    expect(obj.metadata).not.toHaveProperty('managedFields');
  });

  it('leaves objects without those fields, or without metadata, as they are', () => {
    const bare = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x' },
    };
    expect(stripCachedObject({ ...bare })).toEqual(bare);
    expect(stripCachedObject({ kind: 'Status' } as any)).toEqual({
      kind: 'Status',
    });
  });
});

describe('InformerResourceCache stores stripped objects', () => {
  it('from the initial list and from watch events', async () => {
    const watches = new Set<ServerResponse>();
    const server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/api/v1/pods' && url.searchParams.get('watch')) {
        res.writeHead(200);
        res.write('');
        watches.add(res);
        res.on('close', () => watches.delete(res));
      } else if (url.pathname === '/api/v1/pods') {
        res.end(
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'PodList',
            metadata: { resourceVersion: '1' },
            items: [pod('listed')],
          }),
        );
      } else {
        res.writeHead(404).end('{}');
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const details: ClusterDetails = {
      name: 'fake-cluster',
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      skipTLSVerify: true,
    };
    const clients = createKubeClients(details, makeKubeConfig(details));
    const registry = {
      getCluster: () => details,
      listClusters: () => [details],
      portalClients: () => clients,
      clientsAs: () => clients,
    } as unknown as ClusterRegistryService;
    const cache = new InformerResourceCache(
      registry,
      mockServices.logger.mock(),
    );
    try {
      const pods = await cache.list('fake-cluster', 'pods');
      expect(pods.map(p => p.metadata?.name)).toEqual(['listed']);
      await waitFor('the watch', async () => watches.size || undefined);
      for (const w of watches) {
        w.write(
          `${JSON.stringify({ type: 'ADDED', object: pod('watched', '2') })}\n`,
        );
        w.write(
          `${JSON.stringify({
            type: 'MODIFIED',
            object: pod('listed', '3'),
          })}\n`,
        );
      }
      const all = await waitFor(
        'both pods, the listed one updated',
        async () => {
          const list = await cache.list('fake-cluster', 'pods');
          return list.length === 2 &&
            list.some(p => p.metadata?.resourceVersion === '3')
            ? list
            : undefined;
        },
      );
      for (const p of all) {
        expect(p.metadata).not.toHaveProperty('managedFields');
        expect(p.metadata?.annotations).toEqual({
          'kubemate.dev/simulate': 'crashloop',
        });
        expect(p.metadata?.labels).toEqual({
          app: 'web',
          'backstage.io/kubernetes-id': 'web',
        });
        expect(p.metadata?.ownerReferences?.[0]?.name).toBe('web-1');
        expect(p.spec?.nodeName).toBe('node-1');
        expect(p.status?.phase).toBe('Running');
      }
      // label filtering still works on the stripped objects
      expect(
        (
          await cache.list('fake-cluster', 'pods', {
            labels: { 'backstage.io/kubernetes-id': 'web' },
          })
        ).length,
      ).toBe(2);
    } finally {
      await cache.stop();
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });
});
