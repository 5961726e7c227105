/*
 * The resource cache is a root service: every plugin of a backend gets the same instance, and
 * two plugins reading the same kind of the same cluster share one informer (one list, one watch
 * on the apiserver). A minimal HTTP stand-in for the apiserver counts the requests.
 */
import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { resourceCacheServiceRef } from '../../refs';
import { InformerResourceCache } from './InformerResourceCache';
import { ResourceCacheService } from './types';

jest.setTimeout(60_000);

describe('resourceCacheServiceRef', () => {
  it('is one cache, and one informer per cluster and kind, for all plugins', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/api/v1/pods' && url.searchParams.get('watch')) {
        requests.push('watch pods');
        res.writeHead(200);
        res.write('');
      } else if (url.pathname === '/api/v1/pods') {
        requests.push('list pods');
        res.end(
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'PodList',
            metadata: { resourceVersion: '1' },
            items: [
              {
                metadata: { name: 'a', namespace: 'ns', resourceVersion: '1' },
              },
            ],
          }),
        );
      } else {
        res.writeHead(404).end('{}');
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;

    const caches: Record<string, ResourceCacheService> = {};
    const reader = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: {
              cache: resourceCacheServiceRef,
              lifecycle: coreServices.lifecycle,
            },
            async init({ cache }) {
              caches[pluginId] = cache;
            },
          });
        },
      });

    const backend = await startTestBackend({
      features: [
        reader('first'),
        reader('second'),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'fake-cluster',
                      url: `http://127.0.0.1:${port}`,
                      serviceAccountToken: 'token',
                      skipTLSVerify: true,
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    try {
      expect(caches.first).toBeInstanceOf(InformerResourceCache);
      expect(caches.second).toBe(caches.first);

      const [a, b] = await Promise.all([
        caches.first.list('fake-cluster', 'pods'),
        caches.second.list('fake-cluster', 'pods'),
      ]);
      expect(a.map(p => p.metadata?.name)).toEqual(['a']);
      expect(b.map(p => p.metadata?.name)).toEqual(['a']);
      await caches.second.list('fake-cluster', 'pods');
      expect(requests.filter(r => r === 'list pods')).toHaveLength(1);
      expect(requests.filter(r => r === 'watch pods').length).toBeLessThan(2);
    } finally {
      await backend.stop();
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });
});
