import type {
  DatabaseService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ClusterAuditService } from '@kubemate/plugin-kubemate-node';
import { RedisAnswerCache } from './Cache';
import type { AnswerCache } from './Cache';
import {
  DatabaseCollectionStore,
  DefaultCollectionAccess,
  DefaultCollectionsService,
} from './Collections';
import type { CollectionsService } from './Collections';
import { DatabaseHistoryStore, DefaultHistoryService } from './History';
import type { HistoryService } from './History';
import {
  bootstrapFromConfig,
  DefaultIngestionService,
  ingestionSettingsFromConfig,
} from './Ingestion';
import type { IngestionSettings } from './Ingestion';
import { PromRagMetrics } from './Metrics';
import type { RagMetrics } from './Metrics';
import { DefaultModelService, OllamaGenerationModels } from './Models';
import type { ModelService } from './Models';
import { MinioObjectStore } from './ObjectStore';
import { DefaultQueryService, querySettingsFromConfig } from './Query';
import type { QueryService } from './Query';
import { DefaultStatusService } from './Status';
import type { StatusService } from './Status';
import { MilvusVectorStore } from './VectorStore';

/** What the plugin gives the services (see plugin.ts). */
export interface RagServiceDeps {
  config: RootConfigService;
  database: DatabaseService;
  logger: LoggerService;
  permissions: PermissionsService;
  catalog: CatalogService;
  audit: ClusterAuditService;
}

export interface RagServices {
  settings: IngestionSettings;
  store: DatabaseCollectionStore;
  models: ModelService;
  vectors: MilvusVectorStore;
  objects: MinioObjectStore;
  cache: AnswerCache;
  metrics: RagMetrics;
  collections: CollectionsService;
  ingestion: DefaultIngestionService;
  query: QueryService;
  history: HistoryService;
  status: StatusService;
  /** Starts the ingestion worker and the bootstrap (the backend's start). */
  start(): void;
  /** Stops the worker and closes the clients (the backend's shutdown). */
  stop(): Promise<void>;
}

/**
 * Builds the knowledge assistant's services from `kubemate.rag`: the models (Ollama), Milvus,
 * MinIO, the Redis cache (none without `kubemate.rag.redis`), the plugin database's stores, and
 * the ingestion, query, history and status services on them.
 */
export async function createServices(
  deps: RagServiceDeps,
): Promise<RagServices> {
  const { config, database, logger, permissions, audit } = deps;
  const settings = ingestionSettingsFromConfig(config);
  const metrics = new PromRagMetrics();
  const models = DefaultModelService.fromConfig(config);
  const vectors = MilvusVectorStore.fromConfig(config, {
    embeddingModel: models.embeddingModel,
    logger,
  });
  const objects = MinioObjectStore.fromConfig(config);
  const cache = RedisAnswerCache.fromConfig(config, { logger, metrics });
  const store = new DatabaseCollectionStore(database);
  const access = new DefaultCollectionAccess({ permissions, store });
  const collections = new DefaultCollectionsService({
    store,
    access,
    objects,
    audit,
    logger,
    embeddingModel: models.embeddingModel,
  });
  const ingestion = new DefaultIngestionService({
    store,
    access,
    objects,
    vectors,
    models,
    metrics,
    catalog: deps.catalog,
    audit,
    logger,
    settings,
  });
  const historyStore = new DatabaseHistoryStore(database);
  const history = new DefaultHistoryService({
    store: historyStore,
    audit,
    logger,
  });
  const query = new DefaultQueryService({
    access,
    collections: store,
    vectors,
    models,
    cache,
    history: historyStore,
    metrics,
    logger,
    settings: querySettingsFromConfig(config),
    generationModels: OllamaGenerationModels.fromConfig(config),
  });
  const status = new DefaultStatusService({
    access,
    models,
    vectors,
    objects,
    cache,
    maxUploadBytes: settings.maxUploadBytes,
  });

  const bootstrap = bootstrapFromConfig(config);
  let stopped = false;
  /** The bootstrap needs the database and MinIO: retried (up to ~10 min) while they are down. */
  const runBootstrap = async () => {
    for (let attempt = 1; !stopped && bootstrap.length; attempt++) {
      try {
        await ingestion.bootstrap(bootstrap, models.embeddingModel);
        return;
      } catch (e) {
        const delay = Math.min(60_000, 2000 * 2 ** (attempt - 1));
        if (attempt >= 15) {
          logger.error(`rag bootstrap failed for good: ${String(e)}`);
          return;
        }
        logger.warn(
          `rag bootstrap (attempt ${attempt}) failed: ${String(
            e,
          )}; retrying in ${delay / 1000} s`,
        );
        await new Promise(r => setTimeout(r, delay).unref());
      }
    }
  };

  return {
    settings,
    store,
    models,
    vectors,
    objects,
    cache,
    metrics,
    collections,
    ingestion,
    query,
    history,
    status,
    start() {
      ingestion.start();
      runBootstrap();
    },
    async stop() {
      stopped = true;
      await ingestion.stop();
      await Promise.allSettled([cache.close(), vectors.close()]);
    },
  };
}
