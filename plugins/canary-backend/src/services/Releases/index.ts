export * from './types';
export { DefaultReleasesService } from './DefaultReleasesService';
export type { ReleasesServiceOptions } from './DefaultReleasesService';
