import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GPU_RESOURCE,
  GPU_TEAM_LABEL,
  QuotaRequest,
} from '@kubemate/plugin-gpu-common';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { z as zod } from 'zod/v3';
import { provisioningQuotaApplyPermission } from '../permissions';
import {
  Change,
  MANAGED_BY,
  Provisioner,
  Target,
} from '../services/Provisioner';
import { actorOf, changesSchema, provision, targetsSchema } from './common';
import type { GpuClient } from './gpuClient';
import { teamName, teamShortName } from './namespace';

export { teamShortName };

const KUEUE_API = 'kueue.x-k8s.io/v1beta2';
/** The LocalQueue every team namespace submits its GPU Jobs to (`kueue.x-k8s.io/queue-name: gpu`). */
export const LOCAL_QUEUE_NAME = 'gpu';
/** Where the portal lists quota requests (the GPUs page's requests tab and approvals inbox). */
export const GPU_REQUESTS_PATH = '/gpus?tab=requests';

/** The team's ClusterQueue: `team-<short name>` (`group:default/team-payments` → `team-payments`). */
export const clusterQueueOf = (team: string) => `team-${teamShortName(team)}`;

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

/**
 * Whether a label selector selects these labels (Kubernetes semantics; Kueue reads a ClusterQueue's
 * absent namespaceSelector as selecting nothing). Returns the first unmet requirement, or
 * undefined when selected.
 */
export function unmetRequirement(
  selector: LabelSelector | undefined | null,
  labels: Record<string, string>,
): string | undefined {
  if (!selector) return 'it selects no namespace (no namespaceSelector)';
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return `${key}=${value}`;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ??
    []) {
    const has = key in labels;
    const ok =
      (operator === 'In' && has && values.includes(labels[key])) ||
      (operator === 'NotIn' && !(has && values.includes(labels[key]))) ||
      (operator === 'Exists' && has) ||
      (operator === 'DoesNotExist' && !has);
    if (!ok) return `${key} ${operator} ${values.join(',')}`.trim();
  }
  return undefined;
}

/** The ClusterQueue's flavors that cover `nvidia.com/gpu`, in Kueue's order of preference. */
export function gpuFlavorsOf(clusterQueue: KubernetesObject): string[] {
  const groups: any[] = (clusterQueue as any).spec?.resourceGroups ?? [];
  return groups
    .filter(g => (g.coveredResources ?? []).includes(GPU_RESOURCE))
    .flatMap(g => (g.flavors ?? []).map((f: { name: string }) => f.name));
}

/** A target namespace with the team's GPU queue (the output of kubemate:gpu:queue:ensure). */
export interface GpuQueueTarget extends Target {
  clusterQueue: string;
  /** The ClusterQueue's GPU flavors, preferred first. */
  flavors: string[];
}

const queuesSchema = (z: typeof zod) =>
  z
    .array(
      z.object({
        environment: z.string(),
        cluster: z.string(),
        namespace: z.string(),
        clusterQueue: z.string(),
        flavors: z.array(z.string()),
      }),
    )
    .describe(
      "Namespaces with the team's GPU LocalQueue: the `queues` output of kubemate:gpu:queue:ensure",
    );

/**
 * kubemate:gpu:queue:ensure — for a service that asks for GPUs: the LocalQueue `gpu` in each
 * target namespace, pointing at the team's Kueue ClusterQueue when that exists in the target's
 * cluster (skipped with a log line otherwise), and the split of the GPUs asked for into what the
 * namespace's ResourceQuota gets directly (up to the gpu backend's self-service limit) and what
 * needs a quota request (kubemate:gpu:quota:request).
 */
export function createGpuQueueEnsureAction(
  provisioner: Provisioner,
  gpuClient: GpuClient,
) {
  return createTemplateAction({
    id: 'kubemate:gpu:queue:ensure',
    description: `Ensures the Kueue LocalQueue ${LOCAL_QUEUE_NAME} in each target namespace, pointing at the team's ClusterQueue team-<team> when that exists in the cluster (skipped otherwise), and splits the GPUs asked for: up to the GPU plugin's self-service limit the namespace gets them directly (output granted), the rest needs a quota request (output toRequest). Nothing happens for 0 GPUs; without the GPU plugin every GPU is granted directly.`,
    supportsDryRun: true,
    schema: {
      input: {
        targets: targetsSchema,
        team: z =>
          z
            .string()
            .min(1)
            .describe(
              'Owner group (`group:default/team-payments` or its name)',
            ),
        gpu: z =>
          z
            .number()
            .int()
            .min(0)
            .max(64)
            .default(0)
            .describe('NVIDIA GPUs per environment'),
      },
      output: {
        granted: z =>
          z
            .number()
            .describe(
              "GPUs each namespace's ResourceQuota gets now (the input of kubemate:quota:apply)",
            ),
        toRequest: z =>
          z
            .number()
            .describe('GPUs above the self-service limit, to be requested'),
        selfServiceLimit: z => z.number().optional(),
        queues: queuesSchema,
        changes: changesSchema,
      },
    },
    async handler(ctx) {
      const { targets, team } = ctx.input;
      const gpu = ctx.input.gpu ?? 0;
      const output = (
        granted: number,
        queues: GpuQueueTarget[],
        changes: Change[],
        selfServiceLimit?: number,
      ) => {
        ctx.output('granted', granted);
        ctx.output('toRequest', gpu - granted);
        if (selfServiceLimit !== undefined) {
          ctx.output('selfServiceLimit', selfServiceLimit);
        }
        ctx.output('queues', queues);
        ctx.output('changes', changes);
      };
      if (gpu === 0) {
        ctx.logger.info('No GPUs asked for: no GPU queue, no quota request');
        output(0, [], []);
        return;
      }
      const clusterQueue = clusterQueueOf(team);
      const queues: GpuQueueTarget[] = [];
      const changes = await provision(
        provisioner,
        ctx,
        'kubemate:gpu:queue:ensure',
        provisioningQuotaApplyPermission,
        targets,
        async t => {
          const cq = await provisioner.read(t.cluster, {
            apiVersion: KUEUE_API,
            kind: 'ClusterQueue',
            metadata: { name: clusterQueue },
          });
          if (!cq) {
            ctx.logger.info(
              `skipped: no GPU queue for ${t.namespace} in ${t.cluster}: ClusterQueue ${clusterQueue} does not exist there (or Kueue is not installed)`,
            );
            return [];
          }
          const owner = cq.metadata?.annotations?.[GPU_TEAM_LABEL];
          if (owner && teamName(owner) !== teamName(team)) {
            ctx.logger.info(
              `skipped: no GPU queue for ${t.namespace} in ${t.cluster}: ClusterQueue ${clusterQueue} belongs to ${owner}, not ${team}`,
            );
            return [];
          }
          // a LocalQueue in a namespace the ClusterQueue does not select queues workloads Kueue
          // never admits: say so instead of creating it
          const ns = await provisioner.read(t.cluster, {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: t.namespace },
          });
          const unmet =
            ns || !ctx.isDryRun
              ? unmetRequirement(
                  (cq as any).spec?.namespaceSelector,
                  ns?.metadata?.labels ?? {},
                )
              : undefined;
          if (unmet) {
            ctx.logger.info(
              `skipped: no GPU queue for ${t.namespace} in ${t.cluster}: ClusterQueue ${clusterQueue} does not admit workloads of this namespace (its namespaceSelector needs ${unmet})`,
            );
            return [];
          }
          queues.push({ ...t, clusterQueue, flavors: gpuFlavorsOf(cq) });
          return [
            {
              apiVersion: KUEUE_API,
              kind: 'LocalQueue',
              metadata: {
                name: LOCAL_QUEUE_NAME,
                namespace: t.namespace,
                labels: {
                  ...MANAGED_BY,
                  [GPU_TEAM_LABEL]: teamShortName(team),
                },
              },
              spec: { clusterQueue },
            },
          ];
        },
      );

      const limits = await gpuClient.listRequests({
        credentials: await ctx.getInitiatorCredentials(),
      });
      if (!limits) {
        ctx.logger.info(
          `The GPU quota plugin is not installed: the ${gpu} GPU(s) are granted directly`,
        );
        output(gpu, queues, changes);
        return;
      }
      const granted = Math.min(gpu, limits.selfServiceLimit);
      if (granted < gpu) {
        ctx.logger.info(
          queues.length
            ? `${gpu} GPU(s) exceed the self-service limit of ${
                limits.selfServiceLimit
              }: the namespaces get ${granted} now, ${
                gpu - granted
              } more after an approval of the quota request`
            : `${gpu} GPU(s) exceed the self-service limit of ${limits.selfServiceLimit} and the team has no GPU queue to request more in: the namespaces get ${granted}`,
        );
      }
      output(granted, queues, changes, limits.selfServiceLimit);
    },
  });
}

/** What kubemate:gpu:quota:request did for one namespace. */
interface RequestOutcome {
  cluster: string;
  namespace: string;
  flavor: string;
  gpus: number;
  id?: string;
  status?: QuotaRequest['status'];
  operation: 'created' | 'unchanged';
}

/**
 * kubemate:gpu:quota:request — the GPUs above the self-service limit as a quota request of the
 * GPU plugin per namespace with a GPU queue, filed on behalf of the user who runs the template
 * (`source: template`; the gpu backend checks their gpu.request.create and audits it). A second
 * run finds the user's open request (pending or active, same namespace, flavor and size) and
 * files nothing.
 */
export function createGpuQuotaRequestAction(
  gpuClient: GpuClient,
  audit: Pick<Provisioner, 'record'>,
) {
  return createTemplateAction({
    id: 'kubemate:gpu:quota:request',
    description: `Files a GPU quota request (N GPUs of a flavor for a period, with a reason) for each namespace with the team's GPU queue, as the user who runs the template; an approver decides in the portal (${GPU_REQUESTS_PATH}). Idempotent: an open request of the user for the same namespace, flavor and size is not filed again. Outputs the requests and the link.`,
    supportsDryRun: true,
    schema: {
      input: {
        queues: queuesSchema,
        gpus: z =>
          z
            .number()
            .int()
            .min(0)
            .max(64)
            .describe(
              'Extra GPUs per namespace: the `toRequest` output of kubemate:gpu:queue:ensure',
            ),
        flavor: z =>
          z
            .string()
            .optional()
            .describe(
              "Kueue ResourceFlavor (GPU model); default the first GPU flavor of the team's ClusterQueue",
            ),
        durationHours: z =>
          z
            .number()
            .int()
            .min(1)
            .default(168)
            .describe('Hours from approval until the quota is given back'),
        reason: z => z.string().optional(),
      },
      output: {
        requests: z =>
          z.array(
            z.object({
              cluster: z.string(),
              namespace: z.string(),
              flavor: z.string(),
              gpus: z.number(),
              id: z.string().optional(),
              status: z.string().optional(),
              operation: z.enum(['created', 'unchanged']),
            }),
          ),
        url: z =>
          z.string().describe('Where the requests and their approval show'),
      },
    },
    async handler(ctx) {
      const { queues, gpus } = ctx.input;
      const durationHours = ctx.input.durationHours ?? 168;
      const flavor = ctx.input.flavor?.trim() || undefined;
      const done = (requests: RequestOutcome[]) => {
        ctx.output('requests', requests);
        ctx.output('url', GPU_REQUESTS_PATH);
      };
      if (!gpus || !queues.length) {
        ctx.logger.info(
          gpus
            ? 'No namespace has a GPU queue: no quota request filed'
            : 'Nothing above the self-service limit: no quota request needed',
        );
        done([]);
        return;
      }
      // every input error before the first request
      const planned = queues.map(q => {
        if (flavor && !q.flavors.includes(flavor)) {
          throw new InputError(
            `flavor: ClusterQueue ${q.clusterQueue} in ${
              q.cluster
            } has no GPU flavor "${flavor}" (it has: ${
              q.flavors.join(', ') || 'none'
            })`,
          );
        }
        const chosen = flavor ?? q.flavors[0];
        if (!chosen) {
          throw new InputError(
            `ClusterQueue ${q.clusterQueue} in ${q.cluster} has no ${GPU_RESOURCE} flavor to request GPUs of`,
          );
        }
        return { ...q, flavor: chosen };
      });
      const reason =
        ctx.input.reason?.trim() ||
        `Golden-path template: ${gpus} GPU(s) above the self-service limit for ${planned
          .map(q => q.namespace)
          .join(', ')}`;

      const credentials = await ctx.getInitiatorCredentials();
      const listed = await gpuClient.listRequests({ credentials });
      if (!listed) {
        ctx.logger.info(
          'The GPU quota plugin is not installed: no quota request filed',
        );
        done([]);
        return;
      }
      const actor = actorOf(ctx);
      const outcomes: RequestOutcome[] = [];
      for (const q of planned) {
        const base = {
          cluster: q.cluster,
          namespace: q.namespace,
          flavor: q.flavor,
          gpus,
        };
        const open = listed.items.find(
          r =>
            r.source === 'template' &&
            (r.status === 'pending' || r.status === 'active') &&
            r.requestedBy === actor &&
            r.cluster === q.cluster &&
            r.namespace === q.namespace &&
            r.flavor === q.flavor &&
            r.gpus === gpus,
        );
        if (open) {
          ctx.logger.info(
            `unchanged: quota request ${open.id} (${open.status}) for ${gpus} ${q.flavor} GPU(s) in ${q.cluster}/${q.namespace}`,
          );
          outcomes.push({
            ...base,
            id: open.id,
            status: open.status,
            operation: 'unchanged',
          });
          continue;
        }
        if (ctx.isDryRun) {
          ctx.logger.info(
            `created: quota request for ${gpus} ${q.flavor} GPU(s) in ${q.cluster}/${q.namespace} (dry run: nothing was filed; the GPU plugin checks the permission when it is)`,
          );
          outcomes.push({ ...base, operation: 'created' });
          continue;
        }
        const where = {
          cluster: q.cluster,
          namespace: q.namespace,
          kind: 'GpuQuotaRequest',
          name: q.clusterQueue,
        };
        let created: QuotaRequest;
        try {
          created = await gpuClient.createRequest(
            {
              cluster: q.cluster,
              namespace: q.namespace,
              flavor: q.flavor,
              gpus,
              durationHours,
              reason,
              source: 'template',
            },
            { credentials },
          );
        } catch (e) {
          await audit.record(
            actor,
            'kubemate:gpu:quota:request',
            'failure',
            String(e),
            where,
          );
          throw e;
        }
        await audit.record(
          actor,
          'kubemate:gpu:quota:request',
          'success',
          `requested ${gpus} ${q.flavor} GPU(s) for ${durationHours} h in ClusterQueue ${q.clusterQueue}: request ${created.id} (${created.status})`,
          where,
        );
        ctx.logger.info(
          `created: quota request ${created.id} (${created.status}) for ${gpus} ${q.flavor} GPU(s) in ${q.cluster}/${q.namespace}; approvers decide at ${GPU_REQUESTS_PATH}`,
        );
        outcomes.push({
          ...base,
          id: created.id,
          status: created.status,
          operation: 'created',
        });
      }
      done(outcomes);
    },
  });
}
