import type {
  PipelineRunSummary,
  PipelineSummary,
} from '@kubemate/plugin-pipelines-common';
import type { PipelinesApi } from '../api/PipelinesApi';

/*
 * The fixtures of the component tests: an entity, runs, a Pipeline and an in-memory PipelinesApi.
 */

export const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

export const run = (o: Partial<PipelineRunSummary>): PipelineRunSummary => ({
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'ci-run-1',
  pipeline: 'payments-api-ci',
  status: 'Succeeded',
  startTime: '2026-11-30T10:00:00Z',
  completionTime: '2026-11-30T10:03:20Z',
  durationSeconds: 200,
  params: { revision: 'abc123' },
  results: { image: 'registry.local/payments-api:abc123' },
  tasks: [
    { name: 'build', runAfter: [] },
    { name: 'test', runAfter: ['build'] },
    { name: 'deploy', runAfter: ['test', 'build'] },
  ],
  taskRuns: [
    {
      name: 'ci-run-1-build',
      pipelineTask: 'build',
      status: 'Succeeded',
      podName: 'ci-run-1-build-pod',
      steps: [
        { name: 'compile', container: 'step-compile', status: 'Succeeded' },
      ],
    },
  ],
  ...o,
});

export const pipeline: PipelineSummary = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'payments-api-ci',
  params: [
    { name: 'revision', description: 'Git revision to build' },
    { name: 'image-tag', default: 'latest' },
  ],
  tasks: [],
};

export function fakeApi(overrides: Partial<PipelinesApi> = {}): PipelinesApi {
  return {
    runs: jest.fn(async () => ({
      runs: [
        run({
          name: 'ci-run-2',
          status: 'Running',
          environment: 'dev',
          startTime: '2026-11-30T11:00:00Z',
          completionTime: undefined,
          durationSeconds: 30,
        }),
        run({ environment: 'dev' }),
      ],
      errors: [
        {
          cluster: 'prod-cluster',
          message: 'prod-cluster: connect ECONNREFUSED 127.0.0.1:6444',
        },
      ],
    })),
    pipelines: jest.fn(async () => ({ pipelines: [pipeline], errors: [] })),
    start: jest.fn(async (_: string, body) =>
      run({ name: 'ci-run-3', status: 'Pending', params: body.params }),
    ),
    rerun: jest.fn(async () => run({ name: 'ci-run-4', status: 'Pending' })),
    cancel: jest.fn(async () => run({ name: 'ci-run-2', status: 'Cancelled' })),
    stepLog: jest.fn(async () => 'compiling...\nok\n'),
    ...overrides,
  };
}
