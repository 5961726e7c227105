import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  kubemate?: {
    /** Inspections (plugins/inspections-backend). */
    inspections?: {
      /**
       * When scheduled runs over every configured cluster start (Backstage scheduler, one replica
       * at a time). Default: `{frequency: {cron: '0 2 * * *'}, timeout: {minutes: 60}}`. `false`
       * turns scheduled runs off.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig | false;
      /** Runs (with their findings) older than this are deleted daily. Default 90. */
      retentionDays?: number;
      /** Default timeout of one check execution. Default 30000. */
      checkTimeoutMs?: number;
      /**
       * A run's cluster locks expire this long after their last heartbeat (a replica that stopped
       * mid-run); the run is then marked failed. Default 120.
       */
      lockTtlSeconds?: number;
      exemptions?: {
        /** Longest allowed expiry from the request. Default 90. */
        maxDays?: number;
        /** Owners are notified this many days before an active exemption expires. Default 7. */
        warnDays?: number;
      };
      /** Per check: `kubemate.inspections.checks.<check id>`. */
      checks?: {
        [checkId: string]: {
          enabled?: boolean;
          /** Overrides of the check's default thresholds (numbers only). */
          thresholds?: { [name: string]: number };
          timeoutMs?: number;
        };
      };
      /** Image registries (prefixes) workloads may use; empty = every registry allowed. */
      allowedImageRegistries?: string[];
      /** Thanos Query (or any Prometheus API) for the PromQL checks. */
      prometheus?: { url: string; timeoutMs?: number };
      /** Loki for the LogQL checks. */
      loki?: { url: string; timeoutMs?: number };
      /**
       * The PromQL label matchers of the host metrics (node exporter). Default `job="node"`; hosts
       * are told apart by their `instance` label.
       */
      hostSelector?: string;
      /** Per cluster (by the name in kubernetes.clusterLocatorMethods). */
      clusters?: {
        [cluster: string]: {
          /** etcd's client URL (health and metrics), e.g. `http://127.0.0.1:2379`. */
          etcd?: { url: string };
        };
      };
      /** PostgreSQL servers the database checks inspect (read-only SQL, pg_stat_statements). */
      postgres?: {
        targets?: Array<{
          /** Display name, e.g. `portal`, `stack`. */
          name: string;
          host: string;
          port?: number;
          user: string;
          /** @visibility secret */
          password?: string;
          database: string;
          /** The catalog entity that owns the database (findings map to it). */
          entityRef?: string;
        }>;
      };
      /** TLS endpoints whose certificates are checked for expiry (plus every cluster's apiserver). */
      tls?: {
        endpoints?: Array<{
          name: string;
          host: string;
          port: number;
          servername?: string;
          entityRef?: string;
        }>;
      };
      /** Backstage notifications to owners (new critical findings, grade drops, exemptions). Default true. */
      notifications?: { enabled?: boolean };
    };
  };
}
