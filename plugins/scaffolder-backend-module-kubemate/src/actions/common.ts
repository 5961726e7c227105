import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { z as zod } from 'zod/v3';
import {
  Change,
  Provisioner,
  summarize,
  Target,
} from '../services/Provisioner';

/** The `targets` output of kubemate:namespace:ensure, the input of the other actions. */
export const targetsSchema = (z: typeof zod) =>
  z
    .array(
      z.object({
        environment: z.string(),
        cluster: z.string(),
        namespace: z.string(),
      }),
    )
    .min(1)
    .describe(
      'Where to provision: the `targets` output of kubemate:namespace:ensure',
    );

export const changesSchema = (z: typeof zod) =>
  z
    .array(
      z.object({
        cluster: z.string().optional(),
        namespace: z.string().optional(),
        kind: z.string(),
        name: z.string(),
        operation: z.enum(['created', 'configured', 'unchanged']),
      }),
    )
    .describe('What was created, changed or left as it was (per object)');

/** A Kubernetes quantity: `2`, `500m`, `4Gi`, `1.5`. */
export const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/;

/** The context every kubemate:* action handler gets (the part the shared steps use). */
export interface ProvisioningContext {
  isDryRun?: boolean;
  user?: { ref?: string };
  logger: { info(message: string): void };
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}

export const actorOf = (ctx: ProvisioningContext) => ctx.user?.ref ?? 'unknown';

/**
 * Checks the permission on every target first (nothing is written when one is denied), then
 * applies each target's objects, logs a summary and returns the changes.
 */
export async function provision(
  provisioner: Provisioner,
  ctx: ProvisioningContext,
  action: string,
  permission: Parameters<Provisioner['authorize']>[1],
  targets: Target[],
  objectsFor: (
    t: Target,
  ) =>
    | Parameters<Provisioner['apply']>[2]
    | Promise<Parameters<Provisioner['apply']>[2]>,
): Promise<Change[]> {
  await provisioner.authorize(
    await ctx.getInitiatorCredentials(),
    permission,
    targets,
  );
  const dryRun = Boolean(ctx.isDryRun);
  const changes: Change[] = [];
  for (const t of targets) {
    changes.push(
      ...(await provisioner.apply(
        { actor: actorOf(ctx), action, dryRun },
        t.cluster,
        await objectsFor(t),
      )),
    );
  }
  for (const c of changes) {
    ctx.logger.info(
      `${c.operation}: ${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${
        c.name
      } in ${c.cluster}`,
    );
  }
  ctx.logger.info(`${action}: ${summarize(changes, dryRun)}`);
  return changes;
}
