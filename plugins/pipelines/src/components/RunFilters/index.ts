export { RunFilters, filterRuns, NO_FILTERS } from './RunFilters';
export type { RunFilterValues } from './RunFilters';
