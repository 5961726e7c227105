import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { provisioningQuotaApplyPermission } from '../permissions';
import { MANAGED_BY, Provisioner } from '../services/Provisioner';
import { changesSchema, provision, QUANTITY, targetsSchema } from './common';

export const QUOTA_NAME = 'kubemate-quota';

export function createQuotaApplyAction(provisioner: Provisioner) {
  return createTemplateAction({
    id: 'kubemate:quota:apply',
    description: `Applies the ResourceQuota ${QUOTA_NAME} in each target namespace: CPU and memory (requests and limits), pods, and NVIDIA GPUs (requests.nvidia.com/gpu; 0 forbids GPUs).`,
    supportsDryRun: true,
    schema: {
      input: {
        targets: targetsSchema,
        cpu: z => z.string().describe('CPU, e.g. "2" or "500m"'),
        memory: z => z.string().describe('Memory, e.g. "4Gi"'),
        gpu: z =>
          z.number().int().min(0).max(64).default(0).describe('NVIDIA GPUs'),
        pods: z => z.number().int().min(1).max(1000).default(20),
      },
      output: { changes: changesSchema },
    },
    async handler(ctx) {
      // the scaffolder validates inputs against the schema but does not apply its defaults
      const { targets, cpu, memory } = ctx.input;
      const gpu = ctx.input.gpu ?? 0;
      const pods = ctx.input.pods ?? 20;
      for (const [field, v] of [
        ['cpu', cpu],
        ['memory', memory],
      ] as const) {
        if (!QUANTITY.test(v)) {
          throw new InputError(
            `${field} must be a Kubernetes quantity such as 2, 500m or 4Gi (got "${v}")`,
          );
        }
      }
      const changes = await provision(
        provisioner,
        ctx,
        'kubemate:quota:apply',
        provisioningQuotaApplyPermission,
        targets,
        t => [
          {
            apiVersion: 'v1',
            kind: 'ResourceQuota',
            metadata: {
              name: QUOTA_NAME,
              namespace: t.namespace,
              labels: { ...MANAGED_BY },
            },
            spec: {
              hard: {
                'requests.cpu': cpu,
                'limits.cpu': cpu,
                'requests.memory': memory,
                'limits.memory': memory,
                pods: String(pods),
                'requests.nvidia.com/gpu': String(gpu),
              },
            },
          } as any,
        ],
      );
      ctx.output('changes', changes);
    },
  });
}
