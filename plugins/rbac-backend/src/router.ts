import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { CheckResponse, DecisionResult, RoleSpec, WhatCanResponse, WhoCanResponse, rbacAuditReadPermission, rbacDecisionReadPermission, rbacMemberUpdatePermission, rbacRoleCreatePermission, rbacRoleDeletePermission, rbacRoleReadPermission, rbacRoleUpdatePermission, rbacSyncReadPermission, rbacSyncRunPermission, validateMembers, validateRoleSpec } from '@kubemate/plugin-rbac-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { RbacAuditLog } from './service/AuditLog';
import { KubernetesRbacSync } from './service/KubernetesRbacSync';
import { PermissionCatalogue } from './service/PermissionCatalogue';
import { RbacEngine } from './service/RbacEngine';
import { specOf } from './service/RoleStore';
import {
  parseClustersObjectRef,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';
import {
  clustersObjectRuleset,
  requirePermission,
} from '@kubemate/plugin-kubemate-node';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  engine: RbacEngine;
  catalogue: PermissionCatalogue;
  audit: RbacAuditLog;
  sync?: KubernetesRbacSync;
  /** Called after a change to roles or members (the Kubernetes sync runs). */
  onChange: () => void;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new InputError(
      `Invalid ${what}: ${r.error.issues
        .map(i => `${i.path.join('.') || '(root)'} ${i.message}`)
        .join('; ')}`,
    );
  }
  return r.data;
}

const roleNameParams = z.object({ name: z.string().min(1).max(63) });
const userQuery = z.object({ user: z.string().min(1).max(300) });
const permissionQuery = z.object({
  permission: z.string().min(1).max(200),
  resourceRef: z.string().min(1).max(1000).optional(),
});
const checkQuery = userQuery.extend(permissionQuery.shape);
const auditQuery = z.object({
  role: z.string().min(1).max(63).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

function userRefOf(raw: string): string {
  try {
    const ref = parseEntityRef(raw, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'user')
      throw new Error('not a user');
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(
      `Invalid user '${raw}': expected a user ref like user:default/alice`,
    );
  }
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    auth,
    permissions,
    catalog,
    engine,
    catalogue,
    audit,
    sync,
  } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  /** Users and automation (service tokens, e.g. a static token with accessRestrictions). */
  const caller = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const actorOf = (c: BackstageCredentials): string => {
    if (auth.isPrincipal(c, 'user')) return c.principal.userEntityRef;
    if (auth.isPrincipal(c, 'service')) return c.principal.subject;
    return 'unknown';
  };

  async function authorize(req: express.Request, permission: BasicPermission) {
    const credentials = await caller(req);
    await requirePermission(permissions, { credentials, permission });
    return credentials;
  }

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

  // ------------------------------------------------------------ roles

  router.get('/roles', async (req, res) => {
    await authorize(req, rbacRoleReadPermission);
    res.json(await engine.roles.list({ fresh: true }));
  });

  router.get('/roles/:name', async (req, res) => {
    await authorize(req, rbacRoleReadPermission);
    const { name } = parse(roleNameParams, req.params, 'path');
    res.json(await engine.roles.get(name));
  });

  router.post('/roles', async (req, res) => {
    const credentials = await authorize(req, rbacRoleCreatePermission);
    const spec = await validatedSpec(req.body);
    const actor = actorOf(credentials);
    const role = await engine.roles.create(spec, actor);
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
    const { name } = parse(roleNameParams, req.params, 'path');
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
    const current = await engine.roles.get(name);
    if (JSON.stringify(current.members) !== JSON.stringify(spec.members)) {
      // membership changes need their own permission too
      const [d] = await permissions.authorize(
        [{ permission: rbacMemberUpdatePermission }],
        {
          credentials,
        },
      );
      if (d.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You are not allowed ${rbacMemberUpdatePermission.name}`,
        );
      }
    }
    const { before, after } = await engine.roles.update(
      name,
      () => spec,
      actor,
    );
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
    const { name } = parse(roleNameParams, req.params, 'path');
    const members = validateMembers(req.body);
    if (!members.ok)
      throw new InputError(`Invalid members: ${members.errors.join('; ')}`);
    const actor = actorOf(credentials);
    const { before, after } = await engine.roles.update(
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
    const { name } = parse(roleNameParams, req.params, 'path');
    const actor = actorOf(credentials);
    const before = await engine.roles.delete(name);
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

  async function permissionOf(name: string): Promise<Permission> {
    const info = await catalogue.get(name);
    if (!info) throw new InputError(`Unknown permission '${name}'`);
    return info.resourceType
      ? {
          type: 'resource',
          name,
          attributes: info.action ? { action: info.action as any } : {},
          resourceType: info.resourceType,
        }
      : {
          type: 'basic',
          name,
          attributes: info.action ? { action: info.action as any } : {},
        };
  }

  const authorizeClustersObject = createConditionAuthorizer(clustersObjectRuleset);

  /** Resolves a conditional decision for a concrete resource, the way the owning plugin would. */
  async function resolve(
    decision: PolicyDecision,
    resourceRef: string | undefined,
  ): Promise<DecisionResult> {
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW ? 'ALLOW' : 'DENY';
    }
    if (!resourceRef) return 'CONDITIONAL';
    const cond = decision.conditions as { rule: string; params: any };
    if (decision.resourceType === RESOURCE_TYPE_CLUSTERS_OBJECT) {
      const object = parseClustersObjectRef(resourceRef);
      if (!object) {
        throw new InputError(
          `Invalid resourceRef '${resourceRef}': expected <cluster>/<namespace>[/<resource>/<name>]`,
        );
      }
      // the resource type's own rules decide, as the clusters plugin would
      return authorizeClustersObject(decision, object) ? 'ALLOW' : 'DENY';
    }
    if (cond.rule === 'IS_ENTITY_OWNER') {
      const entity = await catalog.getEntityByRef(resourceRef, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      if (!entity) throw new NotFoundError(`Entity ${resourceRef} not found`);
      const owners = (entity.relations ?? [])
        .filter(r => r.type === 'ownedBy')
        .map(r => r.targetRef.toLocaleLowerCase('en-US'));
      const claims: string[] = cond.params.claims.map((c: string) =>
        c.toLocaleLowerCase('en-US'),
      );
      return owners.some(o => claims.includes(o)) ? 'ALLOW' : 'DENY';
    }
    return 'CONDITIONAL';
  }

  async function evaluateFor(
    user: string,
    permission: Permission,
    resourceRef?: string,
  ) {
    const claims = await engine.membership.claimsOf(user);
    const ev = await engine.evaluate(
      { userEntityRef: user, ownershipEntityRefs: claims },
      permission,
    );
    return { ev, result: await resolve(ev.decision, resourceRef) };
  }

  router.get('/check', async (req, res) => {
    await authorize(req, rbacDecisionReadPermission);
    const q = parse(checkQuery, req.query, 'query');
    const user = userRefOf(q.user);
    const permission = await permissionOf(q.permission);
    const { ev, result } = await evaluateFor(user, permission, q.resourceRef);
    const roles = ev.granting.map(r => r.name).join(', ');
    let reason: string;
    if (!ev.granting.length) {
      reason = `No role of ${user} grants ${permission.name} (denied by default)`;
    } else if (result === 'ALLOW') {
      reason = `Allowed by ${roles}`;
    } else if (result === 'DENY') {
      reason = `${roles} grant${ev.granting.length > 1 ? '' : 's'} ${
        permission.name
      }, but ${q.resourceRef} is outside ${
        ev.granting.length > 1 ? 'their' : 'its'
      } scope`;
    } else {
      reason = `Granted by ${roles} within ${
        ev.decision.result === AuthorizeResult.CONDITIONAL &&
        (ev.decision.conditions as any).rule === 'IS_ENTITY_OWNER'
          ? 'the entities the user owns'
          : 'the namespaces of their scope'
      }; pass a resourceRef for a definitive answer`;
    }
    const body: CheckResponse = {
      user,
      permission: permission.name,
      resourceRef: q.resourceRef,
      result,
      grantingRoles: ev.granting.map(r => ({ name: r.name, scope: r.scope })),
      reason,
    };
    res.json(body);
  });

  router.get('/what-can', async (req, res) => {
    await authorize(req, rbacDecisionReadPermission);
    const user = userRefOf(parse(userQuery, req.query, 'query').user);
    const { items } = await catalogue.list();
    const claims = await engine.membership.claimsOf(user);
    const out: WhatCanResponse = { user, groups: [], roles: [], items: [] };
    for (const info of items) {
      const ev = await engine.evaluate(
        { userEntityRef: user, ownershipEntityRefs: claims },
        await permissionOf(info.name),
      );
      out.groups = ev.groups;
      out.roles = ev.memberOf.map(r => r.name);
      const result = await resolve(ev.decision, undefined);
      let scope: WhatCanResponse['items'][number]['scope'] = 'all';
      if (ev.decision.result === AuthorizeResult.CONDITIONAL) {
        const cond = ev.decision.conditions as { rule: string; params: any };
        scope =
          cond.rule === 'IS_IN_NAMESPACE'
            ? cond.params.namespaces
            : 'owned-entities';
      }
      out.items.push({
        permission: info.name,
        result,
        grantingRoles: ev.granting.map(r => r.name),
        scope,
      });
    }
    res.json(out);
  });

  router.get('/who-can', async (req, res) => {
    await authorize(req, rbacDecisionReadPermission);
    const q = parse(permissionQuery, req.query, 'query');
    const permission = await permissionOf(q.permission);
    const out: WhoCanResponse = {
      permission: permission.name,
      resourceRef: q.resourceRef,
      items: [],
    };
    for (const user of await engine.membership.users()) {
      const { ev, result } = await evaluateFor(user, permission, q.resourceRef);
      out.items.push({
        user,
        result,
        grantingRoles: ev.granting.map(r => r.name),
      });
    }
    res.json(out);
  });

  // ------------------------------------------------------------ audit and sync

  router.get('/audit', async (req, res) => {
    await authorize(req, rbacAuditReadPermission);
    const q = parse(auditQuery, req.query, 'query');
    res.json({ items: await audit.query(q) });
  });

  router.get('/sync', async (req, res) => {
    await authorize(req, rbacSyncReadPermission);
    res.json({
      enabled: Boolean(sync),
      clusters: sync?.configuredClusters ?? [],
      ...(sync?.status() ?? { roles: [], recentChanges: [], recentDrift: [] }),
      fileErrors: engine.roles.fileErrors(),
    });
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
      message: `${run.changes.length} change(s), ${run.drift.length} drift repair(s), ${run.errors.length} error(s)`,
    });
    res.json({
      enabled: true,
      clusters: sync.configuredClusters,
      ...sync.status(),
      fileErrors: engine.roles.fileErrors(),
    });
  });

  return router;
}
