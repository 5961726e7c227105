import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** The entity refs the backend takes (its OpenAPI `EntityRef`). */
export const ENTITY_REF_PATTERN = /^[a-z]+:[a-z0-9._-]+\/[A-Za-z0-9._-]+$/;

/**
 * A typed reference as a full entity ref: `team-risk` → `group:default/team-risk` with
 * `defaultKind` group; undefined when it cannot be one.
 */
export function normaliseRef(
  typed: string,
  defaultKind: string,
): string | undefined {
  const value = typed.trim();
  if (!value) return undefined;
  try {
    const ref = stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
    return ENTITY_REF_PATTERN.test(ref) ? ref : undefined;
  } catch {
    return undefined;
  }
}
