import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from './schema/openapi.generated';
import { ClusterOpsService } from './services/ClusterOps';

/** A manifest may be up to 1,000,000 characters (the spec's limit), sent as JSON. */
const JSON_LIMIT = '2mb';

const refOf = (p: { kind: string; namespace: string; name: string }) =>
  `${p.kind}:${p.namespace}/${p.name}`;

const isTrue = (v: string | undefined) => v === 'true' || v === '1';

const workloadOf = (p: {
  cluster: string;
  ns: string;
  resource: 'deployments' | 'statefulsets' | 'daemonsets';
  workload: string;
}) => ({
  cluster: p.cluster,
  namespace: p.ns,
  resource: p.resource,
  name: p.workload,
});

const podOf = (p: { cluster: string; ns: string; pod: string }) => ({
  cluster: p.cluster,
  namespace: p.ns,
  pod: p.pod,
});

/**
 * The routes of `schema/openapi.yaml`; requests are validated against the spec (400 InputError
 * naming the field on a mismatch) before a handler runs.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  clusterOps: ClusterOpsService;
}): Promise<express.Router> {
  const { httpAuth, clusterOps } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: JSON_LIMIT })],
  });

  /** The typed requests' query values are not strings only: any request is authenticated. */
  type AnyRequest = express.Request<any, any, any, any, any>;
  const user = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/entity/:kind/:namespace/:name/workloads', async (req, res) => {
    res.json(
      await clusterOps.getEntityWorkloads(await user(req), refOf(req.params)),
    );
  });

  router.get(
    '/entity/:kind/:namespace/:name/pods/:cluster/:ns/:pod/logs',
    async (req, res) => {
      const p = req.params;
      const q = req.query;
      const follow = isTrue(q.follow);
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      const stream = await clusterOps.getPodLogs(
        await user(req),
        refOf(p),
        podOf(p),
        {
          container: q.container,
          previous: isTrue(q.previous),
          follow,
          tailLines: q.tailLines,
        },
        abort.signal,
      );
      res.status(200);
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (follow) {
        res.flushHeaders();
      }
      stream.on('error', () => res.end());
      stream.pipe(res);
    },
  );

  router.get(
    '/entity/:kind/:namespace/:name/workloads/:cluster/:ns/:resource/:workload/manifest',
    async (req, res) => {
      res.json(
        await clusterOps.getWorkloadManifest(
          await user(req),
          refOf(req.params),
          workloadOf(req.params),
        ),
      );
    },
  );

  router.post(
    '/entity/:kind/:namespace/:name/workloads/:cluster/:ns/:resource/:workload/scale',
    async (req, res) => {
      res.json(
        await clusterOps.scale(
          await user(req),
          refOf(req.params),
          workloadOf(req.params),
          req.body.replicas,
        ),
      );
    },
  );

  router.post(
    '/entity/:kind/:namespace/:name/workloads/:cluster/:ns/:resource/:workload/restart',
    async (req, res) => {
      res.json(
        await clusterOps.restart(
          await user(req),
          refOf(req.params),
          workloadOf(req.params),
        ),
      );
    },
  );

  router.post(
    '/entity/:kind/:namespace/:name/workloads/:cluster/:ns/:resource/:workload/rollback',
    async (req, res) => {
      res.json(
        await clusterOps.rollback(
          await user(req),
          refOf(req.params),
          workloadOf(req.params),
          req.body?.revision,
        ),
      );
    },
  );

  router.delete(
    '/entity/:kind/:namespace/:name/pods/:cluster/:ns/:pod',
    async (req, res) => {
      res.json(
        await clusterOps.deletePod(
          await user(req),
          refOf(req.params),
          podOf(req.params),
        ),
      );
    },
  );

  router.post('/entity/:kind/:namespace/:name/apply', async (req, res) => {
    const { cluster, manifest, dryRun } = req.body;
    res.json(
      await clusterOps.apply(await user(req), refOf(req.params), {
        cluster,
        manifest,
        dryRun,
      }),
    );
  });

  router.get('/clusters', async (req, res) => {
    res.json(await clusterOps.listClusters(await user(req)));
  });

  router.get('/clusters/:cluster/overview', async (req, res) => {
    res.json(
      await clusterOps.getClusterOverview(await user(req), req.params.cluster),
    );
  });

  router.get('/audit', async (req, res) => {
    const { entityRef, limit } = req.query;
    res.json({
      items: await clusterOps.getAudit(await user(req), entityRef, limit),
    });
  });

  return router;
}
