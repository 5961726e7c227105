import { createPermission } from '@backstage/plugin-permission-common';
import {
  KubernetesPolicyRule,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';

/*
 * Fine-tuning permissions: resource permissions on the team namespace concerned (resource type
 * `clusters-object`, ref `<cluster>/<namespace>`), so a role scoped to `payments-*` grants them
 * for that team's datasets, jobs and models only. A dataset belongs to the namespace it was
 * uploaded for; a job and the model served from it to the job's namespace.
 */

/** See a namespace's datasets and preview their rows. */
export const finetuningDatasetReadPermission = createPermission({
  name: 'finetuning.dataset.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Upload a dataset (JSONL or CSV, validated) for a namespace. */
export const finetuningDatasetUploadPermission = createPermission({
  name: 'finetuning.dataset.upload',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Delete a namespace's dataset (its object in MinIO and its record). */
export const finetuningDatasetDeletePermission = createPermission({
  name: 'finetuning.dataset.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** See fine-tuning jobs and sweeps: queue state, events, worker logs, MLflow metrics, comparisons. */
export const finetuningJobReadPermission = createPermission({
  name: 'finetuning.job.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Launch a LoRA job or a sweep (PyTorchJobs created as the user). */
export const finetuningJobCreatePermission = createPermission({
  name: 'finetuning.job.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Cancel a job (its PyTorchJob deleted as the user, pods gone) or delete its record. */
export const finetuningJobCancelPermission = createPermission({
  name: 'finetuning.job.cancel',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Serve a job's adapter: create an Ollama model `FROM <base>` + `ADAPTER`. */
export const finetuningModelServePermission = createPermission({
  name: 'finetuning.model.serve',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Every permission of the finetuning plugin. */
export const finetuningPermissions = [
  finetuningDatasetReadPermission,
  finetuningDatasetUploadPermission,
  finetuningDatasetDeletePermission,
  finetuningJobReadPermission,
  finetuningJobCreatePermission,
  finetuningJobCancelPermission,
  finetuningModelServePermission,
];

const KUBEFLOW = 'kubeflow.org';
const KUEUE = 'kueue.x-k8s.io';

/**
 * What each permission means in Kubernetes RBAC when the action is made as the user (synced by
 * the RBAC plugin into a role's namespaces). Datasets and served models live in MinIO and Ollama,
 * not in Kubernetes: no rules.
 */
export const finetuningKubernetesRules: Record<string, KubernetesPolicyRule[]> =
  {
    'finetuning.dataset.read': [],
    'finetuning.dataset.upload': [],
    'finetuning.dataset.delete': [],
    'finetuning.job.read': [
      {
        apiGroups: [KUBEFLOW],
        resources: ['pytorchjobs'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: [KUEUE],
        resources: ['workloads', 'localqueues'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: [''],
        resources: ['pods', 'pods/log', 'events'],
        verbs: ['get', 'list', 'watch'],
      },
    ],
    'finetuning.job.create': [
      {
        apiGroups: [KUBEFLOW],
        resources: ['pytorchjobs'],
        verbs: ['create'],
      },
    ],
    'finetuning.job.cancel': [
      {
        apiGroups: [KUBEFLOW],
        resources: ['pytorchjobs'],
        verbs: ['delete'],
      },
    ],
    'finetuning.model.serve': [],
  };
