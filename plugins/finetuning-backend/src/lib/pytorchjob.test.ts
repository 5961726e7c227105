import { FinetuningJobSpec } from '@kubemate/plugin-finetuning-common';
import { WorkloadObject } from '@kubemate/plugin-gpu-common';
import {
  buildPyTorchJob,
  gpuHours,
  jobState,
  PyTorchJobObject,
  workloadOfJob,
} from './pytorchjob';

const spec: FinetuningJobSpec = {
  baseModel: 'smollm2-135m-instruct',
  datasetId: 'd1',
  datasetName: 'support',
  hyperparameters: {
    rank: 8,
    alpha: 16,
    learningRate: 0.0002,
    epochs: 2,
    batchSize: 4,
  },
  resources: { workers: 2, gpusPerWorker: 1, flavor: 'nvidia-a10g' },
  queue: 'gpu',
  priorityClass: 'gpu-normal',
  sweepId: 's1',
};
const trainer = {
  image: 'ghcr.io/kubemate/lora-trainer:1',
  command: ['python', '/app/train.py'],
  storageSecretName: 'kubemate-finetuning-s3',
  storageEndpoint: 'http://minio:9000',
  cpu: '1',
  memory: '2Gi',
  podAnnotations: { 'kwok.kubemate.io/run-duration': '60s' },
  podLabels: { app: 'lora' },
};

function built(): PyTorchJobObject {
  return buildPyTorchJob(
    {
      id: 'job-1',
      name: 'support-lora',
      namespace: 'payments-dev',
      spec,
      hfModel: 'HuggingFaceTB/SmolLM2-135M-Instruct',
      datasetUri: 's3://b/datasets/x.jsonl',
      mapping: { instruction: 'instruction', response: 'response' },
      outputUri: 's3://b/adapters/x/',
      mlflowRunId: 'run-1',
      mlflowTrackingUri: 'http://mlflow:5000',
      gpuProduct: 'NVIDIA-A10G',
      team: 'payments',
      kubernetesId: 'payments-api',
    },
    trainer,
  );
}

describe('buildPyTorchJob', () => {
  it('makes a Master and workers−1 Workers with labels, annotations, GPUs, toleration and node selector', () => {
    const job = built();
    expect(job.apiVersion).toBe('kubeflow.org/v1');
    expect(job.metadata.labels).toEqual({
      'kubemate.io/finetuning-job': 'job-1',
      'kueue.x-k8s.io/queue-name': 'gpu',
      'kueue.x-k8s.io/priority-class': 'gpu-normal',
      'kubemate.io/team': 'payments',
      'backstage.io/kubernetes-id': 'payments-api',
      'kubemate.io/finetuning-sweep': 's1',
    });
    expect(
      JSON.parse(job.metadata.annotations!['kubemate.io/finetuning-spec']),
    ).toEqual(spec);
    expect(job.metadata.annotations!['kubemate.io/mlflow-run-id']).toBe(
      'run-1',
    );
    expect(job.spec.runPolicy).toBeUndefined();
    const { Master, Worker } = job.spec.pytorchReplicaSpecs;
    expect(Master.replicas).toBe(1);
    expect(Worker.replicas).toBe(1);
    const pod = Master.template.spec!;
    const c = pod.containers[0];
    expect(c.name).toBe('pytorch');
    expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(c.args).toEqual(
      expect.arrayContaining(['--lora-rank', '8', '--learning-rate', '0.0002']),
    );
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: 'MLFLOW_RUN_ID', value: 'run-1' },
        {
          name: 'AWS_ACCESS_KEY_ID',
          valueFrom: {
            secretKeyRef: {
              name: 'kubemate-finetuning-s3',
              key: 'AWS_ACCESS_KEY_ID',
            },
          },
        },
      ]),
    );
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(pod.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-A10G',
    });
    expect(Master.template.metadata!.annotations).toEqual({
      'kwok.kubemate.io/run-duration': '60s',
    });
  });

  it('has no Worker, GPU or toleration for one CPU-only replica', () => {
    const job = buildPyTorchJob(
      {
        id: 'j',
        name: 'n',
        namespace: 'ns',
        spec: { ...spec, resources: { workers: 1, gpusPerWorker: 0 } },
        hfModel: 'm',
        datasetUri: 'd',
        mapping: { instruction: 'i', response: 'r' },
        outputUri: 'o',
        mlflowRunId: 'r',
        mlflowTrackingUri: 't',
      },
      trainer,
    );
    expect(job.spec.pytorchReplicaSpecs.Worker).toBeUndefined();
    const pod = job.spec.pytorchReplicaSpecs.Master.template.spec!;
    expect(
      pod.containers[0].resources.limits['nvidia.com/gpu'],
    ).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
  });
});

function workload(conditions: any[], admission?: any): WorkloadObject {
  return {
    metadata: {
      name: 'pytorchjob-support-lora-abc12',
      namespace: 'payments-dev',
      ownerReferences: [
        {
          apiVersion: 'kubeflow.org/v1',
          kind: 'PyTorchJob',
          name: 'support-lora',
          uid: 'u1',
          controller: true,
        },
      ],
    },
    spec: { queueName: 'gpu' },
    status: { conditions, admission },
  };
}

describe('jobState', () => {
  const job = (status: any = {}, suspend?: boolean): PyTorchJobObject => ({
    ...built(),
    metadata: { ...built().metadata, uid: 'u1' },
    spec: { ...built().spec, ...(suspend ? { runPolicy: { suspend } } : {}) },
    status,
  });
  const pending = workload([
    {
      type: 'QuotaReserved',
      status: 'False',
      reason: 'Pending',
      message: "couldn't assign flavors: insufficient quota",
    },
  ]);
  const admitted = workload(
    [
      { type: 'QuotaReserved', status: 'True' },
      {
        type: 'Admitted',
        status: 'True',
        lastTransitionTime: '2026-01-01T10:00:00Z',
      },
    ],
    {
      clusterQueue: 'team-payments',
      podSetAssignments: [
        { name: 'master', flavors: { 'nvidia.com/gpu': 'nvidia-a10g' } },
      ],
    },
  );

  it('finds the Workload by owner uid', () => {
    expect(workloadOfJob(job(), [pending])).toBe(pending);
    expect(
      workloadOfJob(
        { metadata: { uid: 'other', name: 'x', namespace: 'payments-dev' } },
        [pending],
      ),
    ).toBeUndefined();
  });

  it('maps cancel, missing, queued (Kueue reason and position), starting, running, succeeded', () => {
    expect(jobState({ cancelled: {}, localQueue: 'gpu' }).state).toBe(
      'Cancelled',
    );
    expect(jobState({ localQueue: 'gpu' })).toEqual({
      state: 'Unknown',
      stateMessage: 'the PyTorchJob is gone',
    });
    const queued = jobState({
      job: job({}, true),
      workload: pending,
      clusterQueue: 'team-payments',
      position: 2,
      localQueue: 'gpu',
    });
    expect(queued).toMatchObject({
      state: 'Queued',
      stateMessage: "couldn't assign flavors: insufficient quota",
      queue: {
        state: 'pending',
        reason: 'Pending',
        position: 2,
        clusterQueue: 'team-payments',
        localQueue: 'gpu',
      },
    });
    expect(
      jobState({
        job: job({ conditions: [] }),
        workload: admitted,
        localQueue: 'gpu',
      }),
    ).toMatchObject({
      state: 'Starting',
      queue: {
        state: 'admitted',
        flavor: 'nvidia-a10g',
        admittedAt: '2026-01-01T10:00:00.000Z',
      },
    });
    const running = job({
      conditions: [{ type: 'Running', status: 'True' }],
      replicaStatuses: { Master: { active: 1 }, Worker: { active: 1 } },
    });
    expect(
      jobState({ job: running, workload: admitted, localQueue: 'gpu' }).state,
    ).toBe('Running');
    const done = job({
      conditions: [
        {
          type: 'Succeeded',
          status: 'True',
          message: 'PyTorchJob support-lora is successfully completed.',
        },
      ],
      completionTime: '2026-01-01T11:00:00Z',
    });
    expect(
      jobState({ job: done, workload: admitted, localQueue: 'gpu' }),
    ).toMatchObject({
      state: 'Succeeded',
      startedAt: '2026-01-01T10:00:00.000Z',
      finishedAt: '2026-01-01T11:00:00.000Z',
    });
  });

  it('counts GPU hours over every replica', () => {
    expect(gpuHours(spec, '2026-01-01T10:00:00Z', '2026-01-01T11:30:00Z')).toBe(
      3,
    );
    expect(gpuHours(spec, undefined, undefined)).toBeUndefined();
  });
});
