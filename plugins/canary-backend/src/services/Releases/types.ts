import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ReleaseDetails,
  ReleaseSeries,
  ReleasesOverviewResponse,
  ReleasesResponse,
  ReleaseTarget,
} from '@kubemate/plugin-canary-common';

/** The read side: an entity's releases, one release in detail, the overview page. */
export interface ReleasesService {
  /** Canaries and gray releases of the entity in every cluster (canary.release.read, scoped). */
  entityReleases(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<ReleasesResponse>;
  /** Progressing, waiting for approval, or failed within the window, in the user's namespaces. */
  overview(
    credentials: BackstageCredentials,
    options: { windowHours: number },
  ): Promise<ReleasesOverviewResponse>;
  /** One Canary: checks with measured values, weight history, events (history kept in the DB). */
  details(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<ReleaseDetails>;
  /** Success rate and p99 latency of primary vs canary over the last minutes (same checks as details). */
  series(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    options: { minutes: number },
  ): Promise<ReleaseSeries>;
}
