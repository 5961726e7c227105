import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { NamespaceScope } from '@kubemate/plugin-kubemate-node';
import type {
  LogsContextResponse,
  LogsMetricResponse,
  LogsQueryResponse,
  TailEvent,
} from '@kubemate/plugin-logs-common';

/** A log or metric query over a time range. */
export interface QueryRequest {
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  limit: number;
  direction: 'forward' | 'backward';
  /** Scope the query to this entity's namespaces too. */
  entityRef?: string;
}

/** The volume histogram of a log query. */
export interface VolumeRequest {
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  entityRef?: string;
}

/** The lines around one line of one stream. */
export interface ContextRequest {
  /** The stream's labels. */
  labels: Record<string, string>;
  /** The line's timestamp, nanoseconds as a decimal string. */
  ts: string;
  before: number;
  after: number;
  entityRef?: string;
}

/** A live tail of a log query. */
export interface TailRequest {
  query: string;
  entityRef?: string;
}

/** Where a tail's events go: `send` returns false when the consumer is not keeping up. */
export interface TailSink {
  send: (e: TailEvent) => boolean;
  onDrain: (cb: () => void) => void;
}

/** A running tail: `done` settles when it ended (cap, time limit, Loki or `stop`). */
export interface TailSession {
  stop: () => void;
  done: Promise<void>;
}

/**
 * The logs capability: LogQL over Loki, every stream selector scoped to the namespaces the user
 * may read (`logs.entity.read`) — and, for an entity, to that entity's namespaces.
 */
export interface LogsService {
  /** The user's scope, narrowed to the entity's namespaces when an entity is given. */
  scopeOf(
    credentials: BackstageCredentials,
    entityRef?: string,
  ): Promise<NamespaceScope>;
  query(
    credentials: BackstageCredentials,
    req: QueryRequest,
  ): Promise<LogsQueryResponse | LogsMetricResponse>;
  volume(
    credentials: BackstageCredentials,
    req: VolumeRequest,
  ): Promise<LogsMetricResponse>;
  context(
    credentials: BackstageCredentials,
    req: ContextRequest,
  ): Promise<LogsContextResponse>;
  tail(
    credentials: BackstageCredentials,
    req: TailRequest,
    io: TailSink,
  ): Promise<TailSession>;
}
