import type { IdleGpu } from '@kubemate/plugin-gpu-common';
import type {
  FindingDraft,
  InspectionCheck,
} from '@kubemate/plugin-inspections-node';
import type { IdleGpuSource } from './client';

export const GPU_IDLE_CHECK_ID = 'application.gpu-idle';

const pct = (v: number) => `${v.toFixed(1)} %`;

/**
 * `application.gpu-idle`: pods that hold GPUs they (nearly) do not use, from the gpu backend's idle
 * list (DCGM utilization below `kubemate.gpu.idle.thresholdPercent` on average over
 * `kubemate.gpu.idle.windowMinutes`). One finding per pod (all its idle GPUs), per cluster of the
 * run. Without the gpu plugin the check is skipped; when the gpu plugin, Prometheus or the
 * cluster cannot be read it is an error, never a pass.
 */
export function createGpuIdleCheck(source: IdleGpuSource): InspectionCheck {
  return {
    id: GPU_IDLE_CHECK_ID,
    version: 1,
    title: 'Allocated GPUs are used',
    category: 'application',
    severity: 'medium',
    description: [
      'Pods that were allocated GPUs (`nvidia.com/gpu`) but kept their utilization (DCGM `DCGM_FI_DEV_GPU_UTIL`) under the threshold on average over the window: the GPUs are taken from the team queue and the cluster while doing (almost) nothing — the most expensive kind of idle capacity.',
      '',
      "The list is the GPU quota plugin's (`GET /api/gpu/idle`); threshold and window are its configuration (`kubemate.gpu.idle.thresholdPercent`, default 10 %, and `windowMinutes`, default 60), stated in each finding's evidence.",
    ].join('\n'),
    remediation: [
      '- A notebook or debugging pod left running: stop it (or give it a TTL); interactive work belongs in a lower-priority Kueue class (`kueue.x-k8s.io/priority-class: gpu-low`) so it can be preempted.',
      '- A job that waits on its input (data loading, a stalled step): look at its logs and its CPU/IO; more data-loader workers, prefetching or a bigger batch keep the GPU busy.',
      '- A job that needs less than a whole GPU: share GPUs (MIG partitions or time-slicing) instead of taking one per pod.',
      '- Then give back quota the team does not need (the GPUs page: queues and requests).',
    ].join('\n'),
    references: [
      {
        source: 'NVIDIA DCGM',
        id: 'DCGM_FI_DEV_GPU_UTIL',
        url: 'https://docs.nvidia.com/datacenter/dcgm/latest/dcgm-api/dcgm-api-field-ids.html',
      },
    ],
    dataSource: 'prometheus',
    scope: 'cluster',
    async run(ctx) {
      const cluster = ctx.cluster;
      if (!cluster) {
        throw new Error('this check runs per cluster but no cluster was given');
      }
      const answer = await source.idle(ctx.signal);
      if (!answer) {
        return {
          findings: [],
          skipped:
            'the GPU quota plugin is not installed (GET /api/gpu/idle answered 404)',
        };
      }
      const failed = answer.errors.filter(
        e => e.cluster === cluster || e.cluster === 'prometheus',
      );
      if (failed.length) {
        throw new Error(
          `the GPU quota plugin could not read ${failed
            .map(e => `${e.cluster}: ${e.message}`)
            .join('; ')}`,
        );
      }
      const byPod = new Map<string, IdleGpu[]>();
      for (const item of answer.items) {
        if (item.cluster !== cluster || !ctx.namespaceInScope(item.namespace)) {
          continue;
        }
        const key = `${item.namespace}/${item.pod}`;
        byPod.set(key, [...(byPod.get(key) ?? []), item]);
      }
      const expected = `≥ ${answer.thresholdPercent} % average utilization over ${answer.windowMinutes} min (kubemate.gpu.idle)`;
      const findings: FindingDraft[] = [...byPod.values()].map(gpus => {
        const { namespace, pod, entityRef } = gpus[0];
        const average =
          gpus.reduce((sum, g) => sum + g.averageUtilization, 0) / gpus.length;
        const max = Math.max(...gpus.map(g => g.maxUtilization));
        const which = gpus
          .map(
            g =>
              `GPU ${g.gpu}${g.product ? ` (${g.product})` : ''} on ${
                g.node
              }: ${pct(g.averageUtilization)} average, ${pct(
                g.maxUtilization,
              )} at most`,
          )
          .join('; ');
        return {
          object: { cluster, namespace, kind: 'Pod', name: pod },
          message: `Pod ${pod} holds ${gpus.length} GPU(s) it used ${pct(
            average,
          )} on average over the last ${answer.windowMinutes} min.`,
          evidence: {
            measured: `${pct(average)} average, ${pct(max)} at most, ${
              gpus.length
            } GPU(s)`,
            expected,
            query: 'GET /api/gpu/idle (avg_over_time of DCGM_FI_DEV_GPU_UTIL)',
            details: `${which}${
              answer.demo
                ? '. Demo data: the dev stack\'s simulated DCGM exporter (kubemate_demo="true").'
                : ''
            }`,
          },
          ...(entityRef ? { entityRef } : {}),
        };
      });
      return { findings };
    },
  };
}
