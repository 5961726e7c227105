/*
 * Serving a job's LoRA adapter through Ollama: the adapter files are read from the job's output
 * URI in the object store (MinIO), uploaded to Ollama as blobs and a model is created
 * `FROM <ollamaModel>` + the adapter. The router checks permissions, audits and stores the
 * returned ServedModel in `finetuning_served_models`; this service only talks to MinIO and Ollama.
 */
import type { ServedModel } from '@kubemate/plugin-finetuning-common';

/** The files of a PEFT LoRA adapter Ollama imports (`adapters` of POST /api/create). */
export const ADAPTER_FILES = [
  'adapter_config.json',
  'adapter_model.safetensors',
] as const;

/** Marker file next to an untrained (zero-initialised) adapter written by the demo trainer / tests. */
export const UNTRAINED_MARKER_FILE = 'KUBEMATE_UNTRAINED';

/** What is at an adapter URI (`s3://<bucket>/<prefix>/`). */
export interface AdapterStatus {
  uri: string;
  /** both {@link ADAPTER_FILES} exist */
  available: boolean;
  /** the {@link UNTRAINED_MARKER_FILE} exists next to them */
  untrained: boolean;
  /** the adapter files that are missing (empty when available) */
  missing: string[];
}

export interface ServeAdapterRequest {
  /** the Ollama model to create (`ft-…`; see `servedModelName`) */
  modelName: string;
  /** `FROM` of the model: the base model's `ollamaModel` (e.g. `smollm2-135m`) */
  ollamaBase: string;
  /** `s3://<bucket>/<prefix>/` holding the adapter files (the job's output URI) */
  adapterUri: string;
  /** the job the adapter comes from (copied into the ServedModel) */
  job: {
    id: string;
    cluster: string;
    namespace: string;
    /** the portal's base model name (FinetuningJobSpec.baseModel) */
    baseModel: string;
  };
  /** the user's entity ref (copied into the ServedModel) */
  createdBy: string;
  /**
   * Untrained adapter known from elsewhere (e.g. the MLflow tag `kubemate.adapter.untrained`);
   * the marker file next to the adapter also makes it untrained.
   */
  untrained?: boolean;
}

/** A model Ollama lists (GET /api/tags). */
export interface OllamaModelSummary {
  /** as Ollama names it, e.g. `ft-payments-dev-fraud-lora:latest` */
  name: string;
  /** the name without `:latest` */
  shortName: string;
  digest: string;
  sizeBytes: number;
  modifiedAt: string;
  family?: string;
}

export interface ServingService {
  /**
   * Creates the Ollama model from the base and the adapter at `adapterUri`.
   * Throws InputError for a bad model name / URI, ConflictError when the adapter files are not
   * (yet) there ("the job has not written an adapter yet"), ServiceUnavailableError naming MinIO
   * or Ollama when they fail or do not answer in time (Ollama's conversion is bounded by
   * `kubemate.finetuning.ollama.timeoutMs`), InputError when Ollama rejects the adapter (400).
   */
  serve(request: ServeAdapterRequest): Promise<ServedModel>;
  /** Ollama's models whose name starts with `prefix` (default: all). */
  list(options?: { prefix?: string }): Promise<OllamaModelSummary[]>;
  /** Deletes an Ollama model; a model Ollama does not have is not an error. */
  delete(modelName: string): Promise<void>;
  /** Whether the adapter files are at `uri` (MinIO statObject) and whether it is untrained. */
  adapterStatus(uri: string): Promise<AdapterStatus>;
}
