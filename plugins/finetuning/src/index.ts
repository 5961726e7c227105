/**
 * Kubemate fine-tuning: the page "Fine-tuning" — LoRA jobs with their Kueue queue state, live
 * MLflow loss curves and per-worker logs; a launch form (no YAML) with a GPU-hours and cost
 * estimate and a sweep mode; datasets with validation errors and preview; run comparison; sweeps
 * with the best trial; served models — and the entity tab "Fine-tuning" for ML components.
 *
 * @packageDocumentation
 */
export { finetuningPlugin as default } from './plugin';
export { finetuningRouteRef } from './routes';
export { finetuningApiRef, FinetuningClient } from './api';
export type { FinetuningApi, JobFilter, DatasetUpload } from './api';
export { isFinetuningAvailable } from './lib/entity';
export { finetuningTranslationRef } from './translation';
