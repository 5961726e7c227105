import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { ServingService } from './services/Serving/types';

/**
 * The ServingService of services/Serving (MinIO → Ollama) when Ollama and the store are
 * configured. Until its implementation is wired, serving answers 503 naming Ollama.
 */
export function createServing(
  config: RootConfigService,
  logger: LoggerService,
): ServingService | undefined {
  if (!config.getOptionalConfig('kubemate.finetuning.ollama')) {
    logger.warn(
      'finetuning: kubemate.finetuning.ollama is not configured: serving answers 503',
    );
  }
  return undefined;
}
