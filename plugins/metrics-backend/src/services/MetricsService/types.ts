import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { AuditRecord } from '@kubemate/plugin-kubemate-common';
import type {
  AlertsResponse,
  CreateSilenceRequest,
  GoldenSignalsResponse,
  QueryResponse,
  Silence,
} from '@kubemate/plugin-metrics-common';
import type { ThanosClient } from '../../ThanosClient';
import type { AlertmanagerClient } from '../AlertmanagerClient';

/** POST /query */
export interface InstantQueryRequest {
  query: string;
  /** Unix seconds; default now. */
  time?: number;
  /** Thanos deduplication of replicas; default true. */
  dedup?: boolean;
}

/** POST /query_range */
export interface RangeRequest {
  query: string;
  start: number;
  end: number;
  step?: number;
  dedup?: boolean;
}

/** What the service needs of Thanos Query (the PromQL HTTP API). */
export type ThanosQueryApi = Pick<ThanosClient, 'query'>;

/** What the service needs of Alertmanager's API v2. */
export type AlertmanagerApi = Pick<
  AlertmanagerClient,
  'alerts' | 'silences' | 'silence' | 'createSilence' | 'expireSilence'
>;

/**
 * The metrics capability: scoped PromQL over Thanos Query, an entity's golden signals and resource
 * usage, and Alertmanager alerts and silences limited to the namespaces the user's roles cover.
 */
export interface MetricsService {
  /** An instant query, rewritten to the namespaces of the user's `metrics.query.run` scope. */
  query(
    credentials: BackstageCredentials,
    request: InstantQueryRequest,
  ): Promise<QueryResponse>;
  /** A range query, scoped like {@link MetricsService.query}. */
  queryRange(
    credentials: BackstageCredentials,
    request: RangeRequest,
  ): Promise<QueryResponse>;
  /** The entity's golden signals and the CPU/memory of its pods over the range. */
  goldenSignals(
    credentials: BackstageCredentials,
    entityRef: string,
    range: { start: number; end: number },
  ): Promise<GoldenSignalsResponse>;
  /** Every alert the user may see (`metrics.alert.read` scope). */
  alerts(credentials: BackstageCredentials): Promise<AlertsResponse>;
  /** The entity's alerts (its service labels or its pods), within the user's scope. */
  entityAlerts(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<AlertsResponse>;
  /** Silences confined to a namespace of the user's scope, newest first. */
  silences(credentials: BackstageCredentials): Promise<Silence[]>;
  /** Creates a silence confined to one namespace the user may silence (audited). */
  createSilence(
    credentials: BackstageCredentials,
    request: CreateSilenceRequest,
  ): Promise<Silence>;
  /** Expires a silence confined to a namespace of the user's scope (audited). */
  expireSilence(credentials: BackstageCredentials, id: string): Promise<void>;
  /** The silence audit trail the user may see. */
  audit(
    credentials: BackstageCredentials,
    limit?: number,
  ): Promise<AuditRecord[]>;
}
