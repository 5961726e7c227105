/*
 * The watch-based cache when its apiserver goes away and comes back. Found by the fault run
 * (deploy/reliability/faults.mjs): with dev-cluster's kube-apiserver killed, the Cluster Ops tab
 * kept showing the pods as they were, with no sign that the cluster was unreachable.
 *
 * The apiserver here is a minimal HTTP stand-in (list, watch and /version of pods) so that it can
 * be stopped and started within a unit test; the real one is faulted by the fault run.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from '@kubemate/dev-stack';
import { createKubeClients, makeKubeConfig } from '../../lib/kubeClients';
import {
  ClusterDetails,
  ClusterRegistryService,
} from '../ClusterRegistry/types';
import { InformerResourceCache } from './InformerResourceCache';

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', resourceVersion: '1' },
});

/** list / watch (kept open) / version of pods; `pods` is what a list answers. */
function fakeApiserver(state: { pods: string[] }) {
  const watches = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/version') {
      res.end(
        JSON.stringify({ major: '1', minor: '35', gitVersion: 'v1.35.0' }),
      );
    } else if (
      url.pathname === '/api/v1/pods' &&
      url.searchParams.get('watch')
    ) {
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
          items: state.pods.map(pod),
        }),
      );
    } else {
      res.writeHead(404).end('{}');
    }
  });
  return { server, watches };
}

async function listen(server: Server, port = 0) {
  await new Promise<void>(r => server.listen(port, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server) {
  server.closeAllConnections();
  await new Promise(r => server.close(r));
}

jest.setTimeout(60_000);

describe('InformerResourceCache when the apiserver goes away', () => {
  it('answers a 503 naming the cluster while the watch is broken, and serves again once it resumes', async () => {
    const state = { pods: ['a', 'b'] };
    let api = fakeApiserver(state);
    const port = await listen(api.server);
    const details: ClusterDetails = {
      name: 'fake-cluster',
      url: `http://127.0.0.1:${port}`,
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
      const names = async () =>
        (await cache.list('fake-cluster', 'pods')).map(p => p.metadata?.name);
      expect(await names()).toEqual(['a', 'b']);

      // the apiserver goes away: its watch connection closes, reconnecting is refused
      await close(api.server);
      const error = await waitFor(
        'a read that fails',
        async () =>
          cache.list('fake-cluster', 'pods').then(
            () => undefined,
            e => e,
          ),
        20_000,
        100,
      );
      expect(error).toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('Kubernetes cluster fake-cluster'),
      });
      // reads that may use the last known state still get it
      expect(
        (await cache.list('fake-cluster', 'pods', { allowStale: true })).map(
          p => p.metadata?.name,
        ),
      ).toEqual(['a', 'b']);

      // it comes back: the watch is restarted once it answers, and reads are served again
      api = fakeApiserver(state);
      await listen(api.server, port);
      expect(
        await waitFor(
          'reads served again',
          async () => names().catch(() => undefined),
          20_000,
          100,
        ),
      ).toEqual(['a', 'b']);
    } finally {
      await cache.stop();
      await close(api.server);
    }
  });
});
