import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import type { IdleGpu, IdleGpusResponse } from '@kubemate/plugin-gpu-common';
import type {
  CheckContext,
  InspectionDataSources,
} from '@kubemate/plugin-inspections-node';
import { createGpuIdleCheck } from './check';
import type { IdleGpuSource } from './client';

const gpu = (over: Partial<IdleGpu>): IdleGpu => ({
  cluster: 'dev-cluster',
  node: 'dev-gpu-a1',
  gpu: '0',
  uuid: 'GPU-0',
  product: 'NVIDIA-A100-SXM4-40GB',
  namespace: 'payments-dev',
  pod: 'train-1-abcde',
  averageUtilization: 2,
  maxUtilization: 6,
  ...over,
});

const answer = (over: Partial<IdleGpusResponse> = {}): IdleGpusResponse => ({
  items: [
    gpu({}),
    gpu({ gpu: '1', averageUtilization: 4, maxUtilization: 9 }),
    gpu({
      namespace: 'risk-dev',
      pod: 'notebook-0',
      node: 'dev-gpu-b1',
      product: 'NVIDIA-A10G',
      entityRef: 'component:default/risk-notebooks',
    }),
    gpu({ cluster: 'prod-cluster', namespace: 'payments-prod', pod: 'p-0' }),
  ],
  thresholdPercent: 10,
  windowMinutes: 60,
  demo: true,
  errors: [],
  ...over,
});

/** The context the engine gives one execution, for the given cluster and namespaces in scope. */
function context(
  cluster: string | undefined,
  inScope: (ns: string) => boolean = () => true,
): CheckContext {
  return {
    cluster,
    scope: { clusters: cluster ? [cluster] : [] },
    namespaceInScope: inScope,
    thresholds: {},
    now: new Date(),
    signal: new AbortController().signal,
    sources: {} as InspectionDataSources,
    history: { previous: async () => undefined, record: () => {} },
    logger: mockServices.logger.mock(),
  };
}

const source = (
  idle: IdleGpuSource['idle'],
): IdleGpuSource & { calls: number } => {
  const s = {
    calls: 0,
    idle: (signal?: AbortSignal) => {
      s.calls++;
      return idle(signal);
    },
  };
  return s;
};

describe('application.gpu-idle', () => {
  it("reports each pod of the execution's cluster holding idle GPUs once, with the backend's threshold and window as evidence", async () => {
    const check = createGpuIdleCheck(source(async () => answer()));
    const out = await check.run(context('dev-cluster'));
    expect(out.skipped).toBeUndefined();
    expect(out.findings).toEqual([
      {
        object: {
          cluster: 'dev-cluster',
          namespace: 'payments-dev',
          kind: 'Pod',
          name: 'train-1-abcde',
        },
        message:
          'Pod train-1-abcde holds 2 GPU(s) it used 3.0 % on average over the last 60 min.',
        evidence: {
          measured: '3.0 % average, 9.0 % at most, 2 GPU(s)',
          expected:
            '≥ 10 % average utilization over 60 min (kubemate.gpu.idle)',
          query: 'GET /api/gpu/idle (avg_over_time of DCGM_FI_DEV_GPU_UTIL)',
          details:
            'GPU 0 (NVIDIA-A100-SXM4-40GB) on dev-gpu-a1: 2.0 % average, 6.0 % at most; GPU 1 (NVIDIA-A100-SXM4-40GB) on dev-gpu-a1: 4.0 % average, 9.0 % at most. Demo data: the dev stack\'s simulated DCGM exporter (kubemate_demo="true").',
        },
      },
      expect.objectContaining({
        object: {
          cluster: 'dev-cluster',
          namespace: 'risk-dev',
          kind: 'Pod',
          name: 'notebook-0',
        },
        entityRef: 'component:default/risk-notebooks',
      }),
    ]);
  });

  it("keeps to the run's namespaces", async () => {
    const check = createGpuIdleCheck(source(async () => answer()));
    const out = await check.run(
      context('dev-cluster', ns => ns.startsWith('risk-')),
    );
    expect(out.findings.map(f => f.object.name)).toEqual(['notebook-0']);
  });

  it('passes with no idle GPU', async () => {
    const check = createGpuIdleCheck(source(async () => answer({ items: [] })));
    const out = await check.run(context('prod-cluster'));
    expect(out).toEqual({ findings: [] });
  });

  it('is skipped, saying why, when the GPU plugin is not installed', async () => {
    const check = createGpuIdleCheck(source(async () => undefined));
    const out = await check.run(context('dev-cluster'));
    expect(out).toEqual({
      findings: [],
      skipped:
        'the GPU quota plugin is not installed (GET /api/gpu/idle answered 404)',
    });
  });

  it('fails (an error, not a pass) when the GPU plugin, Prometheus or the cluster could not be read', async () => {
    const down = createGpuIdleCheck(
      source(async () => {
        throw new ServiceUnavailableError(
          'The GPU quota plugin at http://x/api/gpu failed (503): Prometheus at http://t is unavailable',
        );
      }),
    );
    await expect(down.run(context('dev-cluster'))).rejects.toThrow(
      /failed \(503\): Prometheus/,
    );

    const partial = createGpuIdleCheck(
      source(async () =>
        answer({
          errors: [{ cluster: 'dev-cluster', message: 'connection refused' }],
        }),
      ),
    );
    await expect(partial.run(context('dev-cluster'))).rejects.toThrow(
      'the GPU quota plugin could not read dev-cluster: connection refused',
    );
    // another cluster's failure does not stop this cluster's execution
    await expect(partial.run(context('prod-cluster'))).resolves.toMatchObject({
      findings: [
        expect.objectContaining({
          object: expect.objectContaining({ name: 'p-0' }),
        }),
      ],
    });
  });
});
