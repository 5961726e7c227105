import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { provisioningNamespaceEnsurePermission } from '../permissions';
import { MANAGED_BY, Provisioner } from '../services/Provisioner';
import { changesSchema, provision, targetsSchema } from './common';

/** Group name of a `group:default/team-payments` ref (or the name itself). */
export const teamName = (team: string) => team.replace(/^group:([^/]+\/)?/, '');

/**
 * The team's short name, as namespaces and GPU queues are labelled (`kubemate.io/team: payments`,
 * like the demo seed's namespaces): `group:default/team-payments` → `payments`.
 */
export const teamShortName = (team: string) =>
  teamName(team).replace(/^team-/, '');

export function createNamespaceEnsureAction(provisioner: Provisioner) {
  return createTemplateAction({
    id: 'kubemate:namespace:ensure',
    description:
      "Ensures a namespace `<service>-<environment>` per environment, in that environment's cluster (kubemate.provisioning.environments), labelled with team, service and environment. Outputs the targets the other kubemate:* actions take.",
    supportsDryRun: true,
    examples: [
      {
        description: 'dev and prod namespaces for payments-ledger',
        example:
          'steps:\n  - id: namespaces\n    action: kubemate:namespace:ensure\n    input:\n      service: payments-ledger\n      team: group:default/team-payments\n      environments: [dev, prod]',
      },
    ],
    schema: {
      input: {
        service: z =>
          z.string().describe('Service name (lowercase DNS label, ≤ 40)'),
        team: z =>
          z
            .string()
            .min(1)
            .describe(
              'Owner group (`group:default/team-payments` or its name)',
            ),
        environments: z =>
          z.array(z.string()).min(1).describe('Environments, e.g. [dev, prod]'),
      },
      output: {
        targets: targetsSchema,
        changes: changesSchema,
      },
    },
    async handler(ctx) {
      const { service, team, environments } = ctx.input;
      const targets = provisioner.targets(service, environments);
      const changes = await provision(
        provisioner,
        ctx,
        'kubemate:namespace:ensure',
        provisioningNamespaceEnsurePermission,
        targets,
        t => [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {
              name: t.namespace,
              labels: {
                ...MANAGED_BY,
                'kubemate.io/team': teamShortName(team),
                'kubemate.io/service': service,
                'kubemate.io/environment': t.environment,
              },
            },
          },
        ],
      );
      ctx.output('targets', targets);
      ctx.output('changes', changes);
    },
  });
}
