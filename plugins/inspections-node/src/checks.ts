import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  CheckInfo,
  FindingEvidence,
  FindingObject,
  RunScope,
  Severity,
} from '@kubemate/plugin-inspections-common';
import type {
  CachedKind,
  CachedKinds,
  KubeClients,
} from '@kubemate/plugin-kubemate-node';

/** One sample of an instant PromQL / LogQL query. */
export interface QuerySample {
  labels: Record<string, string>;
  value: number;
}

/** A raw HTTP answer of an apiserver or etcd endpoint. */
export interface RawAnswer {
  status: number;
  text: string;
}

/** The leaf certificate a TLS endpoint presents. */
export interface PeerCertificate {
  subject: string;
  issuer: string;
  /** DNS / IP subject alternative names. */
  altNames: string[];
  validFrom: Date;
  validTo: Date;
}

/** A TLS endpoint of kubemate.inspections.tls.endpoints (or a cluster's apiserver). */
export interface TlsTarget {
  /** Display name, e.g. `payments-gateway`. */
  name: string;
  host: string;
  port: number;
  /** SNI; default the host. */
  servername?: string;
  /** The catalog entity the endpoint belongs to, when configured. */
  entityRef?: string;
}

/**
 * The real data sources a check reads. Every call honours the check's timeout (the context's
 * signal) and throws when its server is down, unconfigured or answers an error; the engine then
 * records the check as an `error`, never as a pass. Reads are made with the portal's own identity.
 */
export interface InspectionDataSources {
  kubernetes: {
    /** Objects of the shared informer cache (kubemate-node), every namespace. */
    list<K extends CachedKind>(
      cluster: string,
      kind: K,
    ): Promise<CachedKinds[K][]>;
    /** The portal's clients, for kinds the cache does not hold (PVCs, quotas, PDBs, bindings, secrets). */
    clients(cluster: string): KubeClients;
    /** GET a path of the cluster's apiserver as the portal, e.g. `/readyz?verbose`. Non-2xx is returned, not thrown. */
    get(cluster: string, path: string): Promise<RawAnswer>;
  };
  etcd: {
    /** Whether kubemate.inspections.clusters.<cluster>.etcd.url is configured. */
    configured(cluster: string): boolean;
    /** GET a path of the cluster's etcd client URL (`/health`, `/metrics`). Non-2xx is returned. */
    get(cluster: string, path: string): Promise<RawAnswer>;
  };
  prometheus: {
    configured(): boolean;
    /** An instant PromQL query through Thanos Query (deduplicated). */
    query(promql: string): Promise<QuerySample[]>;
  };
  loki: {
    configured(): boolean;
    /** An instant LogQL metric query (e.g. `sum by (namespace) (count_over_time({...}[1h]))`). */
    query(logql: string): Promise<QuerySample[]>;
  };
  postgres: {
    /** Names of kubemate.inspections.postgres.targets (e.g. `portal`, `stack`). */
    targets(): string[];
    /** The configured `entityRef` of a target, if any. */
    entityRefOf(target: string): string | undefined;
    /** Runs read-only SQL on a target (a statement timeout applies). */
    query<T = Record<string, unknown>>(
      target: string,
      sql: string,
      params?: unknown[],
    ): Promise<T[]>;
  };
  events: {
    /**
     * Warning events of the cluster since a time, from the inspections' own event archive (plugin
     * database, filled every minute from the informer cache): they outlive the apiserver's TTL.
     */
    warnings(cluster: string, since: Date): Promise<ArchivedEvent[]>;
  };
  tls: {
    /** kubemate.inspections.tls.endpoints plus each cluster's apiserver. */
    targets(): TlsTarget[];
    /** Connects and returns the presented leaf certificate (expired or untrusted ones too). */
    certificate(target: TlsTarget): Promise<PeerCertificate>;
  };
}

/** A Warning event kept by the inspections' event archive. */
export interface ArchivedEvent {
  cluster: string;
  namespace: string;
  /** The involved object. */
  kind: string;
  name: string;
  reason: string;
  message: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** What a check is given for one execution. */
export interface CheckContext {
  /** The cluster of this execution (cluster checks); absent for global checks. */
  cluster?: string;
  /** The run's scope (the engine drops findings in namespaces outside it anyway). */
  scope: RunScope;
  /** Whether a namespace is in the run's scope. */
  namespaceInScope(namespace: string): boolean;
  /** The check's defaults overridden by kubemate.inspections.checks.<id>.thresholds. */
  thresholds: Record<string, number>;
  now: Date;
  /** Aborted at the check's timeout. */
  signal: AbortSignal;
  sources: InspectionDataSources;
  /**
   * Numbers this check recorded in earlier runs (plugin database, shared by the replicas), for
   * checks about change over time such as table growth. `record` is persisted when the run ends.
   */
  history: {
    previous(key: string): Promise<{ value: number; at: Date } | undefined>;
    record(key: string, value: number): void;
  };
  logger: LoggerService;
}

/** A finding as a check reports it; the engine adds fingerprint, owner, exemption state. */
export interface FindingDraft {
  object: FindingObject;
  /** One sentence on what is wrong with this object. */
  message: string;
  /** Default: the check's severity. */
  severity?: Severity;
  evidence: FindingEvidence;
  /** The object's labels (a workload's pod-template labels) to find its catalog entity. */
  labels?: Record<string, string>;
  /** The owning entity when the check knows it (e.g. a configured database target). */
  entityRef?: string;
}

/** What one execution of a check returns. */
export interface CheckOutcome {
  findings: FindingDraft[];
  /** How many objects it looked at (the score uses it; see scoring.ts). */
  evaluated?: number;
  /** Set when the check does not apply here (e.g. no etcd configured for the cluster). */
  skipped?: string;
}

/**
 * A check. Its id and version are stable: findings are fingerprinted by check id and object, and
 * runs are only compared on the same ruleset (ids, versions, thresholds). A check runs isolated
 * with a timeout; a throw or a timeout is recorded as an error, never as a pass.
 */
export interface InspectionCheck
  extends Omit<CheckInfo, 'thresholds' | 'enabled'> {
  /** Default thresholds (overridable in config). */
  thresholds?: Record<string, number>;
  /** Default 30 000 ms (overridable: kubemate.inspections.checks.<id>.timeoutMs). */
  timeoutMs?: number;
  run(context: CheckContext): Promise<CheckOutcome>;
}
