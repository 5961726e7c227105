import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { RoleSpec } from '@kubemate/plugin-rbac-common';
import { provisioningRbacBindPermission } from '../permissions';
import { Provisioner, Target } from '../services/Provisioner';
import { RBAC_CLIENT_SUBJECT, RbacClient } from '../services/RbacClient';
import { actorOf, targetsSchema } from './common';

const sorted = (a: string[] = []) => [...a].sort();

/**
 * The parts of a role that the action decides; equal means nothing to change (the description
 * names who ran the template last and does not count).
 */
function comparable(spec: RoleSpec) {
  return JSON.stringify({
    title: spec.title ?? '',
    scope:
      spec.scope.type === 'all'
        ? 'all'
        : sorted((spec.scope as { namespaces: string[] }).namespaces),
    permissions: sorted(spec.permissions),
    members: sorted(spec.members),
  });
}

export function createRbacBindAction(
  provisioner: Provisioner,
  rbac: RbacClient,
  presets: { grantable: string[]; defaults: string[] },
) {
  return createTemplateAction({
    id: 'kubemate:rbac:bind',
    description:
      "Binds the members (the owner team) to a platform role scoped to the service's namespaces, through the RBAC plugin, whose Kubernetes sync then creates the Roles and RoleBindings. Only the configured grantable permissions can be granted; a role of the same name that the scaffolder did not create is never changed.",
    supportsDryRun: true,
    schema: {
      input: {
        role: z => z.string().describe('Role name, e.g. payments-ledger-team'),
        title: z => z.string().optional(),
        targets: targetsSchema,
        members: z =>
          z
            .array(z.string())
            .min(1)
            .describe('Users and groups, e.g. [group:default/team-payments]'),
        permissions: z =>
          z
            .array(z.string())
            .optional()
            .describe('Default: kubemate.provisioning.rbac.defaultPermissions'),
      },
      output: {
        role: z => z.string(),
        operation: z => z.enum(['created', 'configured', 'unchanged']),
      },
    },
    async handler(ctx) {
      const { role, title, members } = ctx.input;
      const targets = ctx.input.targets as Target[];
      const permissions = ctx.input.permissions ?? presets.defaults;
      if (!permissions.length) {
        throw new InputError(
          'permissions: none given and kubemate.provisioning.rbac.defaultPermissions is empty',
        );
      }
      const refused = permissions.filter(
        (p: string) => !presets.grantable.includes(p),
      );
      if (refused.length) {
        throw new InputError(
          `permissions: a template may not grant ${refused.join(
            ', ',
          )} (grantable: ${presets.grantable.join(', ') || 'none'})`,
        );
      }
      await provisioner.authorize(
        await ctx.getInitiatorCredentials(),
        provisioningRbacBindPermission,
        targets,
      );
      const spec: RoleSpec = {
        name: role,
        title: title ?? role,
        description: `Created by the software template run of ${actorOf(
          ctx,
        )} for the namespaces ${[
          ...new Set(targets.map(t => t.namespace)),
        ].join(', ')}`,
        scope: {
          type: 'namespaces',
          namespaces: sorted([...new Set(targets.map(t => t.namespace))]),
        },
        permissions: sorted(permissions),
        members: sorted(members),
      };
      const existing = await rbac.getRole(role);
      if (
        existing &&
        (existing.source !== 'database' ||
          existing.createdBy !== RBAC_CLIENT_SUBJECT)
      ) {
        throw new ConflictError(
          `Role ${role} already exists (${existing.source}${
            existing.createdBy ? `, created by ${existing.createdBy}` : ''
          }) and is not managed by the software templates: choose another service name`,
        );
      }
      const same = existing && comparable(existing) === comparable(spec);
      let operation: 'created' | 'configured' | 'unchanged' = 'unchanged';
      if (!existing) operation = 'created';
      else if (!same) operation = 'configured';
      if (!ctx.isDryRun && operation !== 'unchanged') {
        const write = () =>
          operation === 'created'
            ? rbac.createRole(spec)
            : rbac.updateRole({ ...spec, description: existing!.description });
        try {
          await write();
          await provisioner.record(
            actorOf(ctx),
            'kubemate:rbac:bind',
            'success',
            `${operation} role ${role}: ${spec.members.join(
              ', ',
            )} get ${spec.permissions.join(', ')} in ${(
              spec.scope as { namespaces: string[] }
            ).namespaces.join(', ')}`,
            { kind: 'Role', name: role },
          );
        } catch (e) {
          await provisioner.record(
            actorOf(ctx),
            'kubemate:rbac:bind',
            'failure',
            String(e),
            { kind: 'Role', name: role },
          );
          throw e;
        }
      }
      ctx.logger.info(
        `${operation}: role ${role}${
          ctx.isDryRun ? ' (dry run: nothing was stored)' : ''
        }`,
      );
      ctx.output('role', role);
      ctx.output('operation', operation);
    },
  });
}
