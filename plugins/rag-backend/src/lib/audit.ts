import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { ClusterAuditService } from '@kubemate/plugin-kubemate-node';

/** What an audited knowledge-base action touched. */
export interface AuditTarget {
  /** `rag-collection` or `rag-document` */
  kind: 'rag-collection' | 'rag-document';
  /** the collection, or `<collection>/<document name>` */
  name: string;
  /** a catalog entity the action concerns (a catalog source), if any */
  entityRef?: string;
}

/** Who acts: the signed-in user, or the plugin itself (bootstrap). */
export function actorOf(credentials: BackstageCredentials | string): string {
  if (typeof credentials === 'string') return credentials;
  const p = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return p.userEntityRef ?? p.subject ?? 'unknown';
}

/**
 * Runs a mutation and records it in the audit trail (`clusterAuditServiceRef`): success with
 * `describe(result)`, or failure — denials included — with the error's message, which is then
 * rethrown. A failing audit write is logged, never the caller's error.
 */
export async function audited<T>(
  deps: { audit: ClusterAuditService; logger: LoggerService },
  entry: {
    actor: BackstageCredentials | string;
    action: string;
    target: AuditTarget | (() => AuditTarget);
  },
  run: () => Promise<T>,
  describe: (result: T) => string,
): Promise<T> {
  const record = (result: 'success' | 'failure', message: string) => {
    const target =
      typeof entry.target === 'function' ? entry.target() : entry.target;
    return deps.audit
      .record({
        actor: actorOf(entry.actor),
        action: entry.action,
        kind: target.kind,
        name: target.name,
        ...(target.entityRef ? { entityRef: target.entityRef } : {}),
        result,
        message,
      })
      .catch(e =>
        deps.logger.error(`Failed to write audit record: ${String(e)}`),
      );
  };
  let result: T;
  try {
    result = await run();
  } catch (e) {
    await record('failure', String((e as Error)?.message ?? e));
    throw e;
  }
  await record('success', describe(result));
  return result;
}
