import { ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { usePermissionGate } from '@kubemate/plugin-kubemate-react';

/** The outcome of one permission on several resources. */
export interface ResourcePermissions {
  /** true once every resource is decided */
  decided: boolean;
  /** the refs the permission is allowed on (so far) */
  allowed: ReadonlySet<string>;
  /** why it is denied, per denied ref */
  reasons: ReadonlyMap<string, string>;
  /** render these (they render nothing): one permission check each */
  probes: ReactNode;
}

function Probe(props: {
  permission: ResourcePermission;
  resourceRef: string;
  onResult: (ref: string, allowed: boolean, reason: string) => void;
}) {
  const { permission, resourceRef, onResult } = props;
  const gate = usePermissionGate({ permission, resourceRef });
  useEffect(() => {
    if (!gate.loading) onResult(resourceRef, gate.allowed, gate.reason);
  }, [gate.loading, gate.allowed, gate.reason, resourceRef, onResult]);
  return null;
}

/**
 * One resource permission checked on a list of resources (kubemate-react's `usePermissionGate`
 * once per resource, batched by the permission client): e.g. the collections the user may query,
 * or the teams it may create a knowledge base for. The caller renders `probes`.
 */
export function useResourcePermissions(
  permission: ResourcePermission,
  resourceRefs: string[],
): ResourcePermissions {
  const [results, setResults] = useState<
    Record<string, { allowed: boolean; reason: string }>
  >({});
  const onResult = useCallback(
    (ref: string, allowed: boolean, reason: string) =>
      setResults(r =>
        r[ref]?.allowed === allowed && r[ref]?.reason === reason
          ? r
          : { ...r, [ref]: { allowed, reason } },
      ),
    [],
  );
  const key = resourceRefs.join('\n');
  return useMemo(() => {
    const refs = key ? key.split('\n') : [];
    const allowed = new Set(refs.filter(r => results[r]?.allowed));
    const reasons = new Map(
      refs
        .filter(r => results[r] && !results[r].allowed)
        .map(r => [r, results[r].reason]),
    );
    return {
      decided: refs.every(r => results[r] !== undefined),
      allowed,
      reasons,
      probes: refs.map(r => (
        <Probe
          key={r}
          permission={permission}
          resourceRef={r}
          onResult={onResult}
        />
      )),
    };
  }, [key, results, permission, onResult]);
}
