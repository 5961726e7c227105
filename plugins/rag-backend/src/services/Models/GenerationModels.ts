import type { RootConfigService } from '@backstage/backend-plugin-api';
import { fetchUpstream } from '@kubemate/plugin-kubemate-node';
import type {
  GenerationModel,
  GenerationModels,
} from '@kubemate/plugin-rag-common';
import { DEFAULT_GENERATION_MODEL, sameModel } from './DefaultModelService';

export const DEFAULT_SERVED_MODEL_PREFIX = 'ft-';

/** The generation models a question may use. */
export interface GenerationModelCatalog {
  /** The configured model plus Ollama's served fine-tuned models; never fails (see `unavailable`). */
  list(): Promise<GenerationModels>;
}

export interface OllamaGenerationModelsOptions {
  baseUrl: string;
  /** the configured generation model (default smollm2-135m) */
  generationModel?: string;
  /** default `ft-` */
  servedModelPrefix?: string;
  /** deadline of GET /api/tags (default 5000) */
  timeoutMs?: number;
}

const short = (name: string) => name.replace(/:latest$/, '');

/**
 * {@link GenerationModelCatalog} from Ollama's GET /api/tags (asked each time, with a deadline: the
 * models are created and deleted by the fine-tuning plugin on any replica).
 */
export class OllamaGenerationModels implements GenerationModelCatalog {
  private readonly baseUrl: string;
  private readonly generationModel: string;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  /** From `kubemate.rag.ollama`. */
  static fromConfig(config: RootConfigService): OllamaGenerationModels {
    const c = config.getConfig('kubemate.rag.ollama');
    return new OllamaGenerationModels({
      baseUrl: c.getString('baseUrl'),
      generationModel: c.getOptionalString('generationModel'),
      servedModelPrefix: c.getOptionalString('servedModelPrefix'),
      timeoutMs: Math.min(c.getOptionalNumber('timeoutMs') ?? 5000, 5000),
    });
  }

  constructor(options: OllamaGenerationModelsOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.generationModel = options.generationModel ?? DEFAULT_GENERATION_MODEL;
    this.prefix = options.servedModelPrefix ?? DEFAULT_SERVED_MODEL_PREFIX;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async list(): Promise<GenerationModels> {
    const configured: GenerationModel = {
      name: short(this.generationModel),
      default: true,
      fineTuned: false,
    };
    let names: string[];
    try {
      const res = await fetchUpstream(
        { name: 'Ollama', url: this.baseUrl, timeoutMs: this.timeoutMs },
        '/api/tags',
        { maxMessageLength: 300 },
      );
      names = (res.json<{ models?: Array<{ name?: string }> }>()?.models ?? [])
        .map(m => m.name)
        .filter((n): n is string => typeof n === 'string');
    } catch (e) {
      return {
        default: configured.name,
        items: [configured],
        unavailable: (e as Error)?.message ?? String(e),
      };
    }
    const fineTuned = names
      .map(short)
      .filter(
        n =>
          this.prefix &&
          n.startsWith(this.prefix) &&
          !sameModel(n, this.generationModel),
      )
      .sort()
      .map(name => ({ name, default: false, fineTuned: true }));
    return { default: configured.name, items: [configured, ...fineTuned] };
  }
}
