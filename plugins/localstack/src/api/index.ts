export { localstackApiRef } from './LocalStackApi';
export type { LocalStackApi } from './LocalStackApi';
export { LocalStackClient } from './LocalStackClient';
