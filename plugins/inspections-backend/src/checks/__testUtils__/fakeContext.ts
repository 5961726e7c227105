/*
 * Test support for the built-in checks: an in-memory InspectionDataSources (plain objects, answers
 * per path/query) and a context that runs a check the way the engine does (defaults merged with
 * threshold overrides). Only for unit tests of the checks' logic; the data sources themselves are
 * tested against real servers.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type {
  ArchivedEvent,
  CheckContext,
  CheckOutcome,
  InspectionCheck,
  InspectionDataSources,
  PeerCertificate,
  QuerySample,
  RawAnswer,
  TlsTarget,
} from '@kubemate/plugin-inspections-node';
import type { CachedKind, KubeClients } from '@kubemate/plugin-kubemate-node';

export interface FakeSources {
  objects?: Partial<Record<CachedKind, unknown[]>>;
  /** apiserver paths → items (a list answer) or a raw answer. */
  api?: Record<string, unknown[] | RawAnswer>;
  etcd?: Record<string, RawAnswer>;
  prometheus?: (query: string) => QuerySample[];
  loki?: (query: string) => QuerySample[];
  postgres?: Record<
    string,
    { entityRef?: string; query(sql: string, params?: unknown[]): unknown[] }
  >;
  events?: ArchivedEvent[];
  tls?: Array<{ target: TlsTarget; cert: PeerCertificate | Error }>;
}

export function fakeSources(f: FakeSources): InspectionDataSources {
  return {
    kubernetes: {
      list: async (_cluster, kind) => (f.objects?.[kind] ?? []) as any[],
      clients: (): KubeClients => {
        throw new Error('not used by the built-in checks');
      },
      get: async (_cluster, path) => {
        const answer = f.api?.[path];
        if (answer === undefined) {
          return {
            status: 404,
            text: JSON.stringify({ message: `${path} not found` }),
          };
        }
        return Array.isArray(answer)
          ? { status: 200, text: JSON.stringify({ items: answer }) }
          : answer;
      },
    },
    etcd: {
      configured: () => !!f.etcd,
      get: async (_cluster, path) => {
        const a = f.etcd?.[path];
        if (!a) throw new Error(`etcd: unexpected GET ${path}`);
        return a;
      },
    },
    prometheus: {
      configured: () => !!f.prometheus,
      query: async q => f.prometheus!(q),
    },
    loki: { configured: () => !!f.loki, query: async q => f.loki!(q) },
    postgres: {
      targets: () => Object.keys(f.postgres ?? {}),
      entityRefOf: t => f.postgres?.[t]?.entityRef,
      query: async (t, sql, params) =>
        f.postgres![t].query(sql, params) as any[],
    },
    events: { warnings: async () => f.events ?? [] },
    tls: {
      targets: () => (f.tls ?? []).map(t => t.target),
      certificate: async target => {
        const c = f.tls!.find(t => t.target.name === target.name)!.cert;
        if (c instanceof Error) throw c;
        return c;
      },
    },
  };
}

export const NOW = new Date('2026-12-01T12:00:00Z');

export interface RunOptions {
  cluster?: string;
  thresholds?: Record<string, number>;
  namespaces?: (ns: string) => boolean;
  history?: Map<string, { value: number; at: Date }>;
  /** Default NOW. */
  now?: Date;
}

/** Runs a check like the engine: its default thresholds with the overrides, on `dev-cluster`. */
export async function runCheck(
  check: InspectionCheck,
  sources: FakeSources,
  options: RunOptions = {},
): Promise<CheckOutcome & { recorded: Map<string, number> }> {
  const recorded = new Map<string, number>();
  const ctx: CheckContext = {
    cluster:
      check.scope === 'cluster' ? options.cluster ?? 'dev-cluster' : undefined,
    scope: { clusters: ['dev-cluster'] },
    namespaceInScope: options.namespaces ?? (() => true),
    thresholds: { ...check.thresholds, ...options.thresholds },
    now: options.now ?? NOW,
    signal: new AbortController().signal,
    sources: fakeSources(sources),
    history: {
      previous: async key => options.history?.get(key),
      record: (key, value) => recorded.set(key, value),
    },
    logger: mockServices.logger.mock(),
  };
  return { ...(await check.run(ctx)), recorded };
}

/** A check of the built-in list by id. */
export function byId(checks: InspectionCheck[], id: string): InspectionCheck {
  const c = checks.find(x => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}

/** Minutes before NOW, as an ISO time. */
export function ago(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

/** A pod owned by a ReplicaSet `<deployment>-abc` of a Deployment. */
export function deploymentPod(
  namespace: string,
  deployment: string,
  pod: Partial<{
    status: any;
    spec: any;
    name: string;
    labels: Record<string, string>;
    created: string;
  }> = {},
) {
  return {
    metadata: {
      namespace,
      name: pod.name ?? `${deployment}-abc-x1`,
      labels: pod.labels ?? { app: deployment },
      creationTimestamp: pod.created ?? ago(60),
      ownerReferences: [
        { kind: 'ReplicaSet', name: `${deployment}-abc`, controller: true },
      ],
    },
    spec: pod.spec ?? {
      containers: [
        { name: deployment, image: `registry.example.com/${deployment}:1.0` },
      ],
    },
    status: pod.status ?? { phase: 'Running' },
  };
}

export function replicaSetOf(namespace: string, deployment: string) {
  return {
    metadata: {
      namespace,
      name: `${deployment}-abc`,
      ownerReferences: [
        { kind: 'Deployment', name: deployment, controller: true },
      ],
    },
  };
}
