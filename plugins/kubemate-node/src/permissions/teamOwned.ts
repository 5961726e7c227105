import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  isOwnedByClaims,
  TEAM_OWNED_RULE,
  TeamOwnedResource,
} from '@kubemate/plugin-kubemate-common';
import { z } from 'zod';

/**
 * What a user may reach of a team-owned resource type: everything (a role of scope `all`), or the
 * resources owned by one of the claims (the user and its groups). Denied is a NotAllowedError.
 */
export type TeamScope = { type: 'all' } | { type: 'teams'; claims: string[] };

/** True when the scope reaches the resource. */
export function teamScopeAllows(
  scope: TeamScope,
  resource: TeamOwnedResource,
): boolean {
  return scope.type === 'all' || isOwnedByClaims(resource, scope.claims);
}

/** The claims a transformed criteria allows (anyOf of the rule), or undefined for anything else. */
function claimsOf(
  criteria: PermissionCriteria<PermissionCondition>,
  resourceType: string,
): string[] | undefined {
  if ('anyOf' in criteria) {
    const parts = criteria.anyOf.map(c => claimsOf(c, resourceType));
    if (parts.some(p => p === undefined)) return undefined;
    return [...new Set(parts.flatMap(p => p!))];
  }
  if ('allOf' in criteria || 'not' in criteria) return undefined;
  const c = criteria as PermissionCondition;
  if (c.rule !== TEAM_OWNED_RULE || c.resourceType !== resourceType) {
    return undefined; // a rule we do not know: deny rather than guess
  }
  const claims = (c.params as { claims?: unknown } | undefined)?.claims;
  return Array.isArray(claims) && claims.every(x => typeof x === 'string')
    ? (claims as string[])
    : undefined;
}

/** The team scope of a decision on a team-owned resource permission; undefined means denied. */
export function teamScopeFromDecision(
  decision: PolicyDecision,
  resourceType: string,
): TeamScope | undefined {
  if (decision.result === AuthorizeResult.ALLOW) return { type: 'all' };
  if (decision.result !== AuthorizeResult.CONDITIONAL) return undefined;
  const claims = claimsOf(decision.conditions, resourceType);
  return claims?.length ? { type: 'teams', claims } : undefined;
}

/**
 * The team scope of a team-owned resource permission for the caller, or NotAllowedError (403)
 * naming the permission. Capabilities filter what they list and check what they touch with
 * {@link teamScopeAllows} — on the server, in the query, never in the UI.
 */
export async function requireTeamScope(
  permissions: PermissionsService,
  request: {
    credentials: BackstageCredentials;
    permission: ResourcePermission;
  },
): Promise<TeamScope> {
  const [decision] = await permissions.authorizeConditional(
    [{ permission: request.permission }],
    { credentials: request.credentials },
  );
  const scope = teamScopeFromDecision(
    decision,
    request.permission.resourceType,
  );
  if (!scope) {
    throw new NotAllowedError(`You are not allowed ${request.permission.name}`);
  }
  return scope;
}

/**
 * The permission resource of a team-owned type and its one rule, for
 * `permissionsRegistry.addResourceType({ ...createTeamOwnedResourceType(...), getResources })`
 * (so `authorize` with a resource ref, e.g. the frontend's `usePermission`, works too).
 */
export function createTeamOwnedResourceType<
  TResource extends TeamOwnedResource,
  TResourceType extends string,
>(options: { pluginId: string; resourceType: TResourceType }) {
  const resourceRef = createPermissionResourceRef<
    TResource,
    { claims: string[] }
  >().with(options);
  const rule = createPermissionRule({
    resourceRef,
    name: TEAM_OWNED_RULE,
    description:
      'Allow when the resource is owned by (or shared with) the user or one of its groups',
    paramsSchema: z.object({
      claims: z
        .array(z.string())
        .describe('Entity refs of the user and of its groups'),
    }),
    apply: (resource, { claims }) => isOwnedByClaims(resource, claims),
    toQuery: ({ claims }) => ({ claims }),
  });
  return { resourceRef, rules: [rule] };
}
