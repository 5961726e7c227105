/**
 * Common code of the Kubemate fine-tuning plugins (LoRA jobs as Kubeflow PyTorchJobs queued by
 * Kueue, datasets in MinIO, runs tracked in MLflow, adapters served through Ollama): permissions,
 * their Kubernetes RBAC rules, the API types and the pure helpers both sides share.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './estimate';
