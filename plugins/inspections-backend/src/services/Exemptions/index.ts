export * from './types';
export {
  DefaultExemptionsService,
  resourceOfKind,
} from './DefaultExemptionsService';
export type { ExemptionsServiceOptions } from './DefaultExemptionsService';
