import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ClusterOpsService } from './services/ClusterOps';

const name = z.string().min(1).max(253);
const entityParams = z.object({ namespace: name, kind: name, name });
const workloadParams = entityParams.extend({
  cluster: name,
  ns: name,
  resource: z.enum(['deployments', 'statefulsets', 'daemonsets']),
  workload: name,
});
const podParams = entityParams.extend({ cluster: name, ns: name, pod: name });
const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform(v => v === 'true' || v === '1');
const logsQuery = z.object({
  container: z.string().min(1).optional(),
  previous: booleanString,
  follow: booleanString,
  tailLines: z.coerce.number().int().min(0).max(100_000).optional(),
});
const scaleBody = z.object({ replicas: z.number().int().min(0).max(1000) });
const rollbackBody = z.object({
  revision: z.number().int().min(0).optional(),
});
const applyBody = z.object({
  cluster: name,
  manifest: z.string().min(1).max(1_000_000),
  dryRun: z.boolean(),
});
const auditQuery = z.object({
  entityRef: z.string().min(1),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${result.error.issues
        .map(i => `${i.path.join('.') || '(root)'} ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

const refOf = (p: { namespace: string; kind: string; name: string }) =>
  `${p.kind}:${p.namespace}/${p.name}`;

const ENTITY = '/entity/:namespace/:kind/:name';

const workloadOf = (p: z.infer<typeof workloadParams>) => ({
  cluster: p.cluster,
  namespace: p.ns,
  resource: p.resource,
  name: p.workload,
});

const podOf = (p: z.infer<typeof podParams>) => ({
  cluster: p.cluster,
  namespace: p.ns,
  pod: p.pod,
});

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  clusterOps: ClusterOpsService;
}): Promise<express.Router> {
  const { httpAuth, clusterOps } = options;
  const router = Router();
  router.use(express.json({ limit: '2mb' }));

  const user = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get(`${ENTITY}/workloads`, async (req, res) => {
    const p = parse(entityParams, req.params, 'path');
    res.json(await clusterOps.getEntityWorkloads(await user(req), refOf(p)));
  });

  router.get(`${ENTITY}/pods/:cluster/:ns/:pod/logs`, async (req, res) => {
    const p = parse(podParams, req.params, 'path');
    const q = parse(logsQuery, req.query, 'query');
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const stream = await clusterOps.getPodLogs(
      await user(req),
      refOf(p),
      { cluster: p.cluster, namespace: p.ns, pod: p.pod },
      q,
      abort.signal,
    );
    res.status(200);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (q.follow) {
      res.flushHeaders();
    }
    stream.on('error', () => res.end());
    stream.pipe(res);
  });

  router.get(
    `${ENTITY}/workloads/:cluster/:ns/:resource/:workload/manifest`,
    async (req, res) => {
      const p = parse(workloadParams, req.params, 'path');
      res.json(
        await clusterOps.getWorkloadManifest(
          await user(req),
          refOf(p),
          workloadOf(p),
        ),
      );
    },
  );

  router.post(
    `${ENTITY}/workloads/:cluster/:ns/:resource/:workload/scale`,
    async (req, res) => {
      const p = parse(workloadParams, req.params, 'path');
      const b = parse(scaleBody, req.body, 'body');
      res.json(
        await clusterOps.scale(
          await user(req),
          refOf(p),
          workloadOf(p),
          b.replicas,
        ),
      );
    },
  );

  router.post(
    `${ENTITY}/workloads/:cluster/:ns/:resource/:workload/restart`,
    async (req, res) => {
      const p = parse(workloadParams, req.params, 'path');
      res.json(
        await clusterOps.restart(await user(req), refOf(p), workloadOf(p)),
      );
    },
  );

  router.post(
    `${ENTITY}/workloads/:cluster/:ns/:resource/:workload/rollback`,
    async (req, res) => {
      const p = parse(workloadParams, req.params, 'path');
      const b = parse(rollbackBody, req.body ?? {}, 'body');
      res.json(
        await clusterOps.rollback(
          await user(req),
          refOf(p),
          workloadOf(p),
          b.revision,
        ),
      );
    },
  );

  router.delete(`${ENTITY}/pods/:cluster/:ns/:pod`, async (req, res) => {
    const p = parse(podParams, req.params, 'path');
    res.json(await clusterOps.deletePod(await user(req), refOf(p), podOf(p)));
  });

  router.post(`${ENTITY}/apply`, async (req, res) => {
    const p = parse(entityParams, req.params, 'path');
    const b = parse(applyBody, req.body, 'body');
    res.json(await clusterOps.apply(await user(req), refOf(p), b));
  });

  router.get('/clusters', async (req, res) => {
    res.json(await clusterOps.listClusters(await user(req)));
  });

  router.get('/clusters/:cluster/overview', async (req, res) => {
    const { cluster } = parse(z.object({ cluster: name }), req.params, 'path');
    res.json(await clusterOps.getClusterOverview(await user(req), cluster));
  });

  router.get('/audit', async (req, res) => {
    const q = parse(auditQuery, req.query, 'query');
    res.json({
      items: await clusterOps.getAudit(await user(req), q.entityRef, q.limit),
    });
  });

  return router;
}
