import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createOpenApiRouter } from './schema/openapi.generated';
import { CapacityService } from './services/Capacity';
import { EntityGpuService } from './services/Entity';
import { QueuesService } from './services/Queues';
import { QuotaRequestsService } from './services/QuotaRequests';
import { UtilizationService } from './services/Utilization';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  capacity: CapacityService;
  queues: QueuesService;
  requests: QuotaRequestsService;
  utilization: UtilizationService;
  entity: EntityGpuService;
  /** Prometheus metrics of the plugin (unauthenticated, see plugin.ts). */
  metrics: express.RequestHandler;
}

/**
 * `/api/gpu`: every route is declared in src/schema/openapi.yaml (requests are validated before a
 * handler runs: 400 naming the field); each service checks the route's permission.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, capacity, queues, requests, utilization, entity } = options;
  const router = await createOpenApiRouter();
  type AnyRequest = express.Request<any, any, any, any, any>;
  const userOrService = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/capacity', async (req, res) => {
    res.json(
      await capacity.capacity(await userOrService(req), {
        cluster: req.query.cluster,
      }),
    );
  });

  router.get('/queues', async (req, res) => {
    res.json(
      await queues.queues(await userOrService(req), {
        cluster: req.query.cluster,
      }),
    );
  });

  router.patch('/queues/:cluster/:name', async (req, res) => {
    res.json(await queues.updateQueue(await user(req), req.params, req.body));
  });

  router.get('/workloads', async (req, res) => {
    res.json(
      await queues.workloads(await userOrService(req), {
        cluster: req.query.cluster,
        namespace: req.query.namespace,
        state: req.query.state,
        queue: req.query.queue,
      }),
    );
  });

  router.get('/utilization', async (req, res) => {
    res.json(
      await utilization.utilization(await userOrService(req), {
        groupBy: req.query.groupBy ?? 'team',
        minutes: Number(req.query.minutes ?? 60),
      }),
    );
  });

  router.get('/idle', async (req, res) => {
    res.json(await utilization.idle(await userOrService(req)));
  });

  router.get('/requests', async (req, res) => {
    res.json(
      await requests.list(await userOrService(req), {
        status: req.query.status,
      }),
    );
  });

  router.post('/requests', async (req, res) => {
    res.status(201).json(await requests.create(await user(req), req.body));
  });

  router.post('/requests/:id/decision', async (req, res) => {
    res.json(await requests.decide(await user(req), req.params.id, req.body));
  });

  router.post('/requests/:id/cancel', async (req, res) => {
    res.json(await requests.cancel(await user(req), req.params.id));
  });

  router.get('/entity/:kind/:namespace/:name', async (req, res) => {
    res.json(
      await entity.entityGpu(
        await userOrService(req),
        stringifyEntityRef(req.params),
        { minutes: Number(req.query.minutes ?? 60) },
      ),
    );
  });

  router.get('/metrics', options.metrics);

  return router;
}
