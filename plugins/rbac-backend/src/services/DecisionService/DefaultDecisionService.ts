import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  parseClustersObjectRef,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';
import { clustersObjectRuleset } from '@kubemate/plugin-kubemate-node';
import {
  CheckResponse,
  DecisionResult,
  WhatCanResponse,
  WhoCanResponse,
} from '@kubemate/plugin-rbac-common';
import { PermissionCatalogue } from '../PermissionCatalogue';
import { Evaluation, RbacEngine } from '../RbacEngine';
import { DecisionService } from './types';

/** A user ref from `alice` or `user:default/alice`, lowercase; InputError for anything else. */
export function userRefOf(raw: string): string {
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

type Condition = { rule: string; params: any };

/** Explains decisions with the engine behind the permission policy and the permission catalogue. */
export class DefaultDecisionService implements DecisionService {
  private readonly authorizeClustersObject = createConditionAuthorizer(
    clustersObjectRuleset,
  );

  constructor(
    private readonly deps: {
      engine: RbacEngine;
      catalogue: PermissionCatalogue;
      /** Reads entities' owners for the catalog's IS_ENTITY_OWNER condition. */
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {}

  /** The permission of a name, as its plugin registered it (InputError when unknown). */
  private async permissionOf(name: string): Promise<Permission> {
    const info = await this.deps.catalogue.get(name);
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

  /** Resolves a conditional decision for a concrete resource, the way the owning plugin would. */
  private async resolve(
    decision: PolicyDecision,
    resourceRef: string | undefined,
  ): Promise<DecisionResult> {
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW ? 'ALLOW' : 'DENY';
    }
    if (!resourceRef) return 'CONDITIONAL';
    const cond = decision.conditions as Condition;
    if (decision.resourceType === RESOURCE_TYPE_CLUSTERS_OBJECT) {
      const object = parseClustersObjectRef(resourceRef);
      if (!object) {
        throw new InputError(
          `Invalid resourceRef '${resourceRef}': expected <cluster>/<namespace>[/<resource>/<name>]`,
        );
      }
      // the resource type's own rules decide, as the clusters plugin would
      return this.authorizeClustersObject(decision, object) ? 'ALLOW' : 'DENY';
    }
    if (cond.rule === 'IS_ENTITY_OWNER') {
      const entity = await this.deps.catalog.getEntityByRef(resourceRef, {
        credentials: await this.deps.auth.getOwnServiceCredentials(),
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

  /** The user's evaluation as the policy makes it (claims from the catalog). */
  private async evaluate(
    user: string,
    permission: Permission,
    claims?: string[],
  ): Promise<Evaluation> {
    return this.deps.engine.evaluate(
      {
        userEntityRef: user,
        ownershipEntityRefs:
          claims ?? (await this.deps.engine.membership.claimsOf(user)),
      },
      permission,
    );
  }

  async check(query: {
    user: string;
    permission: string;
    resourceRef?: string;
  }): Promise<CheckResponse> {
    const user = userRefOf(query.user);
    const permission = await this.permissionOf(query.permission);
    const ev = await this.evaluate(user, permission);
    const result = await this.resolve(ev.decision, query.resourceRef);
    return {
      user,
      permission: permission.name,
      resourceRef: query.resourceRef,
      result,
      grantingRoles: ev.granting.map(r => ({ name: r.name, scope: r.scope })),
      reason: reasonOf(user, permission.name, query.resourceRef, ev, result),
    };
  }

  async whatCan(query: { user: string }): Promise<WhatCanResponse> {
    const user = userRefOf(query.user);
    const { items } = await this.deps.catalogue.list();
    const claims = await this.deps.engine.membership.claimsOf(user);
    const out: WhatCanResponse = { user, groups: [], roles: [], items: [] };
    for (const info of items) {
      const ev = await this.evaluate(
        user,
        await this.permissionOf(info.name),
        claims,
      );
      out.groups = ev.groups;
      out.roles = ev.memberOf.map(r => r.name);
      const result = await this.resolve(ev.decision, undefined);
      let scope: WhatCanResponse['items'][number]['scope'] = 'all';
      if (ev.decision.result === AuthorizeResult.CONDITIONAL) {
        const cond = ev.decision.conditions as Condition;
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
    return out;
  }

  async whoCan(query: {
    permission: string;
    resourceRef?: string;
  }): Promise<WhoCanResponse> {
    const permission = await this.permissionOf(query.permission);
    const out: WhoCanResponse = {
      permission: permission.name,
      resourceRef: query.resourceRef,
      items: [],
    };
    for (const user of await this.deps.engine.membership.users()) {
      const ev = await this.evaluate(user, permission);
      const result = await this.resolve(ev.decision, query.resourceRef);
      out.items.push({
        user,
        result,
        grantingRoles: ev.granting.map(r => r.name),
      });
    }
    return out;
  }
}

/** Why a check came out as it did, in a sentence for the access-check tab. */
export function reasonOf(
  user: string,
  permission: string,
  resourceRef: string | undefined,
  ev: Evaluation,
  result: DecisionResult,
): string {
  const roles = ev.granting.map(r => r.name).join(', ');
  if (!ev.granting.length) {
    return `No role of ${user} grants ${permission} (denied by default)`;
  }
  if (result === 'ALLOW') return `Allowed by ${roles}`;
  if (result === 'DENY') {
    return `${roles} grant${
      ev.granting.length > 1 ? '' : 's'
    } ${permission}, but ${resourceRef} is outside ${
      ev.granting.length > 1 ? 'their' : 'its'
    } scope`;
  }
  return `Granted by ${roles} within ${
    ev.decision.result === AuthorizeResult.CONDITIONAL &&
    (ev.decision.conditions as Condition).rule === 'IS_ENTITY_OWNER'
      ? 'the entities the user owns'
      : 'the namespaces of their scope'
  }; pass a resourceRef for a definitive answer`;
}
