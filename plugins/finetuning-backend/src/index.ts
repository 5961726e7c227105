/**
 * Kubemate fine-tuning backend plugin (`/api/finetuning`): datasets in MinIO, LoRA jobs as
 * Kubeflow PyTorchJobs queued by Kueue, sweeps, MLflow metrics, comparison, serving via Ollama.
 *
 * @packageDocumentation
 */
export { finetuningPlugin as default, finetuningRbacModule } from './plugin';
