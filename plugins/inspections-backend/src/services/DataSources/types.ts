import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ArchivedEvent,
  InspectionDataSources,
} from '@kubemate/plugin-inspections-node';
import type {
  ClusterRegistryService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';

/** Reads the Warning events kept by the inspections' event archive. */
export interface WarningEventReader {
  warnings(cluster: string, since: Date): Promise<ArchivedEvent[]>;
}

/** What the data sources are built on. */
export interface InspectionDataSourcesDeps {
  clusters: ClusterRegistryService;
  cache: ResourceCacheService;
  events: WarningEventReader;
  logger: LoggerService;
}

/**
 * The data sources of the engine: one instance per backend (it owns the PostgreSQL pools), and
 * per check execution a view whose calls are aborted with the execution (`withSignal`).
 */
export interface InspectionDataSourcesService extends InspectionDataSources {
  /** The same sources, every call of which is aborted when `signal` aborts (the check's timeout). */
  withSignal(signal: AbortSignal): InspectionDataSources;
  /** Ends the PostgreSQL pools (backend shutdown). */
  close(): Promise<void>;
}
