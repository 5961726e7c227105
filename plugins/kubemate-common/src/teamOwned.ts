/*
 * Team-owned resources: things a capability stores itself (a knowledge base, a quota request, a
 * training run) that belong to a team rather than to a Kubernetes namespace. A capability declares
 * its resource type as team-owned in its RBAC contribution (`RbacCapability.teamOwnedResourceTypes`);
 * the RBAC policy then narrows that type's permissions, for roles scoped to namespaces, with ONE
 * rule every such type shares: the resource's owner refs intersect the user's claims (the user
 * and every group it belongs to, nested groups included). Roles of scope `all` are not narrowed.
 */

/** The one rule of every team-owned resource type. */
export const TEAM_OWNED_RULE = 'IS_OWNED_BY_TEAM';

/** The rule's parameters: the user's entity ref and the refs of every group it belongs to. */
export type TeamOwnedRuleParams = { claims: string[] };

/** What the rule looks at: the entity refs that own the resource (the owning team, sharing teams). */
export interface TeamOwnedResource {
  ownerRefs: string[];
}

const norm = (ref: string) => ref.toLocaleLowerCase('en-US');

/** True when one of the resource's owner refs is one of the claims (refs compare case-insensitively). */
export function isOwnedByClaims(
  resource: TeamOwnedResource,
  claims: string[],
): boolean {
  const set = new Set(claims.map(norm));
  return resource.ownerRefs.some(r => set.has(norm(r)));
}
