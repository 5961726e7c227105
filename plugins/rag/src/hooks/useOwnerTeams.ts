import { useMemo } from 'react';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  ragCollectionCreatePermission,
  ragNewCollectionResourceRef,
} from '@kubemate/plugin-rag-common';
import useAsync from 'react-use/esm/useAsync';
import { shortRef } from '../lib/format';
import { useResourcePermissions } from './useResourcePermissions';

/** A team the signed-in user belongs to, as an owner of a new knowledge base. */
export interface OwnerTeam {
  ref: string;
  title: string;
  /** rag.collection.create allows a knowledge base owned by it */
  allowed: boolean;
  /** why not, when not allowed */
  reason?: string;
}

const isGroup = (ref: string) => {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group';
  } catch {
    return false;
  }
};

/**
 * The user's groups (its identity's ownership refs that are groups) with their catalog titles,
 * and whether it may create a knowledge base owned by each (rag.collection.create on
 * `ragNewCollectionResourceRef(group)`). Render `probes`.
 */
export function useOwnerTeams() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const groups = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    const refs = [...new Set(identity.ownershipEntityRefs.filter(isGroup))];
    const titles = new Map<string, string>();
    try {
      const { items } = await catalogApi.getEntitiesByRefs({
        entityRefs: refs,
        fields: ['metadata.name', 'metadata.title', 'spec.profile.displayName'],
      });
      items.forEach((e, i) => {
        const title =
          e?.metadata.title ??
          (e?.spec?.profile as { displayName?: string } | undefined)
            ?.displayName;
        if (title) titles.set(refs[i], title);
      });
    } catch {
      // the catalog is only asked for titles: the refs do without them
    }
    return refs.map(ref => ({ ref, title: titles.get(ref) ?? shortRef(ref) }));
  }, [identityApi, catalogApi]);

  const refs = useMemo(
    () => (groups.value ?? []).map(g => ragNewCollectionResourceRef(g.ref)),
    [groups.value],
  );
  const checks = useResourcePermissions(ragCollectionCreatePermission, refs);

  const teams: OwnerTeam[] | undefined = useMemo(
    () =>
      groups.value && checks.decided
        ? groups.value.map(g => {
            const r = ragNewCollectionResourceRef(g.ref);
            return {
              ...g,
              allowed: checks.allowed.has(r),
              reason: checks.reasons.get(r),
            };
          })
        : undefined,
    [groups.value, checks],
  );

  return {
    teams,
    loading: groups.loading || (!!groups.value && !checks.decided),
    error: groups.error,
    probes: checks.probes,
  };
}
