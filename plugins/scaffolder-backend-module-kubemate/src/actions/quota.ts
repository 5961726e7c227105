import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { V1LimitRange } from '@kubernetes/client-node';
import { provisioningQuotaApplyPermission } from '../permissions';
import { MANAGED_BY, Provisioner, Target } from '../services/Provisioner';
import { changesSchema, provision, QUANTITY, targetsSchema } from './common';

export const QUOTA_NAME = 'kubemate-quota';
/**
 * Container defaults that go with the quota: a compute quota makes every container state its CPU
 * and memory, and some never do — Tekton's TaskRun pods (its generated init containers) above all.
 */
export const LIMITS_NAME = 'kubemate-container-defaults';

/** The ResourceQuota and the LimitRange of one target namespace. */
export function quotaObjects(
  q: { cpu: string; memory: string; gpu: number; pods: number },
  t: Target,
) {
  const metadata = (name: string) => ({
    name,
    namespace: t.namespace,
    labels: { ...MANAGED_BY },
  });
  // The client's model of a LimitRange (the objects are serialized with it): `default` is `_default`.
  const limitRange: V1LimitRange = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: metadata(LIMITS_NAME),
    spec: {
      limits: [
        {
          type: 'Container',
          _default: { cpu: '500m', memory: '512Mi' },
          defaultRequest: { cpu: '100m', memory: '128Mi' },
        },
      ],
    },
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: metadata(QUOTA_NAME),
      spec: {
        hard: {
          'requests.cpu': q.cpu,
          'limits.cpu': q.cpu,
          'requests.memory': q.memory,
          'limits.memory': q.memory,
          pods: String(q.pods),
          'requests.nvidia.com/gpu': String(q.gpu),
        },
      },
    },
    limitRange,
  ] as any[];
}

export function createQuotaApplyAction(provisioner: Provisioner) {
  return createTemplateAction({
    id: 'kubemate:quota:apply',
    description: `Applies the ResourceQuota ${QUOTA_NAME} in each target namespace: CPU and memory (requests and limits), pods, and NVIDIA GPUs (requests.nvidia.com/gpu; 0 forbids GPUs); and the LimitRange ${LIMITS_NAME}, CPU/memory defaults for containers that state none (such as Tekton's pipeline pods), without which the quota would refuse them.`,
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
        t => quotaObjects({ cpu, memory, gpu, pods }, t),
      );
      ctx.output('changes', changes);
    },
  });
}
