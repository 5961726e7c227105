export * from './types';
export { DefaultTracesService } from './DefaultTracesService';
