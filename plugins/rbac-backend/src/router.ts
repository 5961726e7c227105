import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { requirePermission } from '@kubemate/plugin-kubemate-node';
import {
  RoleSpec,
  rbacAuditReadPermission,
  rbacDecisionReadPermission,
  rbacMemberUpdatePermission,
  rbacRoleCreatePermission,
  rbacRoleDeletePermission,
  rbacRoleReadPermission,
  rbacRoleUpdatePermission,
  rbacSyncReadPermission,
  rbacSyncRunPermission,
  validateMembers,
  validateRoleSpec,
} from '@kubemate/plugin-rbac-common';
import express from 'express';
import { createOpenApiRouter } from './schema/openapi.generated';
import { RbacAuditLog } from './services/AuditLog';
import { DecisionService } from './services/DecisionService';
import { KubernetesRbacSync } from './services/KubernetesRbacSync';
import { PermissionCatalogue } from './services/PermissionCatalogue';
import { RoleStore, specOf } from './services/RoleStore';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  roles: RoleStore;
  catalogue: PermissionCatalogue;
  decisions: DecisionService;
  audit: RbacAuditLog;
  sync?: KubernetesRbacSync;
  /** Called after a change to roles or members (the Kubernetes sync runs). */
  onChange: () => void;
}

/**
 * The rbac plugin's REST API (src/schema/openapi.yaml): requests are validated against the spec
 * (400 naming the field), every route authorizes its rbac.* permission, every change is audited.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    auth,
    permissions,
    roles,
    catalogue,
    decisions,
    audit,
    sync,
  } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '1mb' })],
  });

  /** Users and automation (service tokens, e.g. a static token with accessRestrictions). */
  const actorOf = (c: BackstageCredentials): string => {
    if (auth.isPrincipal(c, 'user')) return c.principal.userEntityRef;
    if (auth.isPrincipal(c, 'service')) return c.principal.subject;
    return 'unknown';
  };

  async function authorize(
    req: express.Request<any, any, any, any, any>,
    permission: BasicPermission,
  ) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(permissions, { credentials, permission });
    return credentials;
  }

  /** The role rules the schema cannot express (names, patterns, refs, known permissions). */
  async function validatedSpec(body: unknown): Promise<RoleSpec> {
    const r = validateRoleSpec(body);
    if (!r.ok) throw new InputError(`Invalid role: ${r.errors.join('; ')}`);
    const { items, unavailable } = await catalogue.list();
    if (!unavailable.length) {
      const known = new Set(items.map(p => p.name));
      const unknown = r.value.permissions.filter(
        p => p !== '*' && !known.has(p),
      );
      if (unknown.length) {
        throw new InputError(
          `Invalid role: permissions: unknown permission(s) ${unknown.join(
            ', ',
          )}`,
        );
      }
    }
    return r.value;
  }

  const syncState = async () => ({
    enabled: Boolean(sync),
    clusters: sync?.configuredClusters ?? [],
    ...((await sync?.status()) ?? {
      roles: [],
      recentChanges: [],
      recentDrift: [],
    }),
    fileErrors: roles.fileErrors(),
  });

  // ------------------------------------------------------------ roles

  router.get('/roles', async (req, res) => {
    await authorize(req, rbacRoleReadPermission);
    res.json(await roles.list({ fresh: true }));
  });

  router.get('/roles/:name', async (req, res) => {
    await authorize(req, rbacRoleReadPermission);
    res.json(await roles.get(req.params.name));
  });

  router.post('/roles', async (req, res) => {
    const credentials = await authorize(req, rbacRoleCreatePermission);
    const spec = await validatedSpec(req.body);
    const actor = actorOf(credentials);
    const role = await roles.create(spec, actor);
    await audit.record({
      actor,
      action: 'role.create',
      role: role.name,
      after: specOf(role),
    });
    options.onChange();
    res.status(201).json(role);
  });

  router.put('/roles/:name', async (req, res) => {
    const credentials = await authorize(req, rbacRoleUpdatePermission);
    const { name } = req.params;
    const spec = await validatedSpec({
      ...req.body,
      name: req.body?.name ?? name,
    });
    if (spec.name !== name) {
      throw new InputError(
        `Invalid role: name: cannot rename ${name} to ${spec.name}`,
      );
    }
    const actor = actorOf(credentials);
    const current = await roles.get(name);
    if (JSON.stringify(current.members) !== JSON.stringify(spec.members)) {
      // membership changes need their own permission too
      await requirePermission(permissions, {
        credentials,
        permission: rbacMemberUpdatePermission,
      });
    }
    const { before, after } = await roles.update(name, () => spec, actor);
    await audit.record({
      actor,
      action: 'role.update',
      role: name,
      before: specOf(before),
      after: specOf(after),
    });
    options.onChange();
    res.json(after);
  });

  router.put('/roles/:name/members', async (req, res) => {
    const credentials = await authorize(req, rbacMemberUpdatePermission);
    const { name } = req.params;
    const members = validateMembers(req.body);
    if (!members.ok)
      throw new InputError(`Invalid members: ${members.errors.join('; ')}`);
    const actor = actorOf(credentials);
    const { before, after } = await roles.update(
      name,
      current => ({ ...current, members: members.value }),
      actor,
    );
    await audit.record({
      actor,
      action: 'role.members.update',
      role: name,
      before: { members: before.members },
      after: { members: after.members },
    });
    options.onChange();
    res.json(after);
  });

  router.delete('/roles/:name', async (req, res) => {
    const credentials = await authorize(req, rbacRoleDeletePermission);
    const { name } = req.params;
    const actor = actorOf(credentials);
    const before = await roles.delete(name);
    await audit.record({
      actor,
      action: 'role.delete',
      role: name,
      before: specOf(before),
    });
    options.onChange();
    res.status(204).end();
  });

  // ------------------------------------------------------------ permissions and decisions

  router.get('/permissions', async (req, res) => {
    await authorize(req, rbacRoleReadPermission);
    res.json(await catalogue.list());
  });

  router.get('/check', async (req, res) => {
    await authorize(req, rbacDecisionReadPermission);
    res.json(await decisions.check(req.query));
  });

  router.get('/what-can', async (req, res) => {
    await authorize(req, rbacDecisionReadPermission);
    res.json(await decisions.whatCan(req.query));
  });

  router.get('/who-can', async (req, res) => {
    await authorize(req, rbacDecisionReadPermission);
    res.json(await decisions.whoCan(req.query));
  });

  // ------------------------------------------------------------ audit and sync

  router.get('/audit', async (req, res) => {
    await authorize(req, rbacAuditReadPermission);
    res.json({ items: await audit.query(req.query) });
  });

  router.get('/sync', async (req, res) => {
    await authorize(req, rbacSyncReadPermission);
    res.json(await syncState());
  });

  router.post('/sync', async (req, res) => {
    const credentials = await authorize(req, rbacSyncRunPermission);
    if (!sync) {
      throw new InputError(
        'The Kubernetes sync is disabled (kubemate.rbac.kubernetes)',
      );
    }
    const run = await sync.reconcile();
    await audit.record({
      actor: actorOf(credentials),
      action: 'sync.run',
      // counts for the UI to word in the reader's language; message for API readers
      after: {
        changes: run.changes.length,
        drift: run.drift.length,
        errors: run.errors.length,
      },
      message: `${run.changes.length} change(s), ${run.drift.length} drift repair(s), ${run.errors.length} error(s)`,
    });
    res.json(await syncState());
  });

  return router;
}
