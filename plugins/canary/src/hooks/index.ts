export { POLL_MS, usePolledAsync } from './usePolledAsync';
export { useFollow, FOLLOW_MS } from './useFollow';
export { useEntityReleases } from './useEntityReleases';
export { useReleaseDetails } from './useReleaseDetails';
export { useReleaseActions } from './useReleaseActions';
export { useReleasesOverview } from './useReleasesOverview';
export { useReleaseSeries, SERIES_POLL_MS } from './useReleaseSeries';
