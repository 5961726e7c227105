import express from 'express';
import multer from 'multer';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { JobState } from '@kubemate/plugin-finetuning-common';
import { createOpenApiRouter } from './schema/openapi.generated';
import { DatasetsService } from './services/Datasets';
import { JobsService } from './services/Jobs';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  datasets: DatasetsService;
  jobs: JobsService;
  /** kubemate.finetuning.datasets.maxBytes: larger uploads are refused while they stream */
  maxDatasetBytes: number;
  /** Prometheus metrics of the plugin (unauthenticated, see plugin.ts). */
  metrics: express.RequestHandler;
}

const UPLOAD_PATH = /^\/datasets\/?$/;

/**
 * Reads a dataset upload (multipart/form-data) before the OpenAPI validator: the file in memory
 * up to the limit (multer's limit stops the upload as soon as it is passed: 400 "larger than N
 * bytes"), the other fields into req.body for the validator.
 */
export function datasetUpload(maxBytes: number): express.RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
  }).single('file');
  return (req, res, next) => {
    if (
      req.method !== 'POST' ||
      !UPLOAD_PATH.test(req.path) ||
      !req.is('multipart/form-data')
    ) {
      next();
      return;
    }
    upload(req, res, (error?: unknown) => {
      if (error instanceof multer.MulterError) {
        next(
          new InputError(
            error.code === 'LIMIT_FILE_SIZE'
              ? `file: larger than ${maxBytes} bytes`
              : `${error.field ?? 'upload'}: ${error.message}`,
          ),
        );
        return;
      }
      next(error);
    });
  };
}

/**
 * `/api/finetuning`: every route is declared in src/schema/openapi.yaml (requests are validated
 * before a handler runs: 400 naming the field); each service checks the route's permission.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, datasets, jobs } = options;
  const router = await createOpenApiRouter({
    middleware: [datasetUpload(options.maxDatasetBytes), express.json()],
    validatorOptions: { fileUploader: false },
  });
  type AnyRequest = express.Request<any, any, any, any, any>;
  const userOrService = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const params = (req: AnyRequest) =>
    req.params as { id: string; kind: string; namespace: string; name: string };
  const body = (value: object) => value as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

  router.get('/options', async (req, res) => {
    res.json(
      body(
        await jobs.options(await userOrService(req), {
          cluster: req.query.cluster,
        }),
      ),
    );
  });

  router.get('/datasets', async (req, res) => {
    res.json(
      body(
        await datasets.list(await userOrService(req), {
          cluster: req.query.cluster,
          namespace: req.query.namespace,
        }),
      ),
    );
  });

  router.post('/datasets', async (req, res) => {
    const credentials = await user(req);
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const file = (req as express.Request & { file?: Express.Multer.File }).file;
    const created = await datasets.upload(credentials, {
      cluster: String(fields.cluster ?? ''),
      namespace: String(fields.namespace ?? ''),
      name: String(fields.name ?? ''),
      description: str(fields.description),
      instructionField: str(fields.instructionField),
      responseField: str(fields.responseField),
      inputField: str(fields.inputField) || undefined,
      file: file
        ? {
            originalName: file.originalname,
            contentType: file.mimetype,
            body: file.buffer,
          }
        : undefined,
    });
    res.status(201).json(body(created));
  });

  router.get('/datasets/:id', async (req, res) => {
    res.json(
      body(await datasets.get(await userOrService(req), params(req).id)),
    );
  });

  router.get('/datasets/:id/preview', async (req, res) => {
    const limit =
      req.query.limit === undefined ? undefined : Number(req.query.limit);
    res.json(
      body(
        await datasets.preview(await userOrService(req), params(req).id, limit),
      ),
    );
  });

  router.delete('/datasets/:id', async (req, res) => {
    await datasets.delete(await user(req), params(req).id);
    res.status(204).end();
  });

  router.get('/jobs', async (req, res) => {
    res.json(
      body(
        await jobs.list(await userOrService(req), {
          cluster: req.query.cluster,
          namespace: req.query.namespace,
          entityRef: req.query.entityRef,
          sweepId: req.query.sweepId,
          state: req.query.state as JobState | undefined,
        }),
      ),
    );
  });

  router.post('/jobs', async (req, res) => {
    res
      .status(201)
      .json(body(await jobs.launch(await user(req), req.body as any)));
  });

  router.get('/jobs/:id', async (req, res) => {
    res.json(
      body(await jobs.details(await userOrService(req), params(req).id)),
    );
  });

  router.delete('/jobs/:id', async (req, res) => {
    await jobs.delete(await user(req), params(req).id);
    res.status(204).end();
  });

  router.get('/jobs/:id/logs', async (req, res) => {
    res.json(
      body(
        await jobs.logs(await userOrService(req), params(req).id, {
          pod: req.query.pod,
          tailLines:
            req.query.tailLines === undefined
              ? undefined
              : Number(req.query.tailLines),
        }),
      ),
    );
  });

  router.get('/jobs/:id/metrics', async (req, res) => {
    res.json(
      body(await jobs.metrics(await userOrService(req), params(req).id)),
    );
  });

  router.post('/jobs/:id/cancel', async (req, res) => {
    res.json(body(await jobs.cancel(await user(req), params(req).id)));
  });

  router.post('/jobs/:id/serve', async (req, res) => {
    res
      .status(201)
      .json(
        body(
          await jobs.serve(
            await user(req),
            params(req).id,
            (req.body ?? {}) as any,
          ),
        ),
      );
  });

  router.get('/compare', async (req, res) => {
    const raw: unknown = req.query.ids;
    const ids = (
      Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(',')
    )
      .map(s => s.trim())
      .filter(Boolean);
    res.json(body(await jobs.compare(await userOrService(req), ids)));
  });

  router.post('/sweeps', async (req, res) => {
    res
      .status(201)
      .json(body(await jobs.launchSweep(await user(req), req.body as any)));
  });

  router.get('/sweeps', async (req, res) => {
    res.json(
      body(
        await jobs.listSweeps(await userOrService(req), {
          cluster: req.query.cluster,
          namespace: req.query.namespace,
        }),
      ),
    );
  });

  router.get('/sweeps/:id', async (req, res) => {
    res.json(body(await jobs.sweep(await userOrService(req), params(req).id)));
  });

  router.get('/models', async (req, res) => {
    res.json(body(await jobs.models(await userOrService(req))));
  });

  router.get('/entity/:kind/:namespace/:name', async (req, res) => {
    res.json(
      body(
        await jobs.entityJobs(
          await userOrService(req),
          stringifyEntityRef(params(req)),
        ),
      ),
    );
  });

  router.get('/metrics', options.metrics);

  return router;
}
