import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { DefaultServingService, ServingService } from './services/Serving';

/**
 * The ServingService (services/Serving: adapter from MinIO → Ollama blobs → model `FROM` the base)
 * when `kubemate.finetuning.storage` and `kubemate.finetuning.ollama` are configured; otherwise
 * none, and serving answers 503 naming what is missing.
 */
export function createServing(
  config: RootConfigService,
  logger: LoggerService,
): ServingService | undefined {
  const missing = ['storage', 'ollama'].filter(
    key => !config.getOptionalConfig(`kubemate.finetuning.${key}`),
  );
  if (missing.length) {
    logger.warn(
      `finetuning: kubemate.finetuning.${missing.join(
        ' and .',
      )} not configured: serving an adapter answers 503`,
    );
    return undefined;
  }
  return DefaultServingService.fromConfig(config);
}
