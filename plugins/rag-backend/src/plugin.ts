import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import express from 'express';
import {
  clusterAuditServiceRef,
  createRbacCapabilityModule,
  createTeamOwnedResourceType,
  notConfigured,
  rateLimitServiceRef,
} from '@kubemate/plugin-kubemate-node';
import {
  parseRagCollectionResourceRef,
  ragKubernetesRules,
  ragPermissions,
  RESOURCE_TYPE_RAG_COLLECTION,
} from '@kubemate/plugin-rag-common';
import { createRouter } from './router';
import { ownerRefsOf } from './services/Collections';
import { createServices } from './services/createServices';

/**
 * Contributes the knowledge assistant's permissions (on the team-owned `rag-collection` type)
 * to RBAC administration (add it next to the plugin): roles scoped to namespaces reach their
 * teams' knowledge bases, roles of scope `all` every one.
 */
export const ragRbacModule = createRbacCapabilityModule({
  pluginId: 'rag',
  permissions: ragPermissions,
  kubernetesRules: ragKubernetesRules,
  teamOwnedResourceTypes: [RESOURCE_TYPE_RAG_COLLECTION],
});

/**
 * The knowledge assistant: team knowledge bases whose uploads are stored in MinIO, chunked,
 * embedded by Ollama and kept in Milvus (resumable jobs, progress as server-sent events);
 * questions answered from the collections the user may query, streamed with citations, cached
 * in Redis; history, feedback and Prometheus metrics.
 */
export const ragPlugin = createBackendPlugin({
  pluginId: 'rag',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        rateLimits: rateLimitServiceRef,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        audit: clusterAuditServiceRef,
      },
      async init(deps) {
        // Without its servers the portal still starts: every route says what is missing.
        const missing = ['ollama.baseUrl', 'milvus', 'minio'].filter(
          k => !deps.config.has(`kubemate.rag.${k}`),
        );
        if (missing.length) {
          const message = `The knowledge assistant is not configured: ${missing
            .map(k => `kubemate.rag.${k}`)
            .join(
              ', ',
            )} missing (in development: ./kubemate dev up --only rag)`;
          deps.logger.warn(message);
          deps.permissionsRegistry.addPermissions(ragPermissions);
          const router = express.Router();
          // the first missing server's progress on a developer's machine, read per request
          const server = {
            'ollama.baseUrl': 'Ollama',
            milvus: 'Milvus',
            minio: 'MinIO',
          }[missing[0]] as string;
          router.use((_req, _res, next) =>
            next(notConfigured(server, message)),
          );
          deps.httpRouter.use(router);
          return;
        }
        const services = await createServices(deps);
        deps.permissionsRegistry.addResourceType({
          ...createTeamOwnedResourceType({
            pluginId: 'rag',
            resourceType: RESOURCE_TYPE_RAG_COLLECTION,
          }),
          permissions: ragPermissions,
          // `rag-collection:<name>`, or `rag-collection:new:<owner>` for one to be created
          getResources: async refs =>
            Promise.all(
              refs.map(async ref => {
                const parsed = parseRagCollectionResourceRef(ref);
                if (!parsed) return undefined;
                if ('newOwnerRef' in parsed) {
                  return { ownerRefs: [parsed.newOwnerRef] };
                }
                const c = await services.store.getCollection(parsed.name);
                return c ? ownerRefsOf(c) : undefined;
              }),
            ),
        });
        // Prometheus scrapes without a Backstage token
        deps.httpRouter.addAuthPolicy({
          path: '/metrics',
          allow: 'unauthenticated',
        });
        // per-user limits of answers and of ingestion work (kubemate.rateLimits.ragQuery, ragIngest)
        deps.httpRouter.use(
          deps.rateLimits.middleware('ragQuery', ['POST /query']),
        );
        deps.httpRouter.use(
          deps.rateLimits.middleware('ragIngest', [
            'POST /collections/{collection}/documents',
            'POST /collections/{collection}/sources',
            'POST /collections/{collection}/reindex',
            'POST /collections/{collection}/documents/{documentId}/reindex',
          ]),
        );
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            logger: deps.logger,
            ...services,
            maxUploadBytes: services.settings.maxUploadBytes,
          }),
        );
        deps.lifecycle.addStartupHook(() => services.start());
        deps.lifecycle.addShutdownHook(() => services.stop());
      },
    });
  },
});
