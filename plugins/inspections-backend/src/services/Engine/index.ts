export * from './types';
export {
  DefaultInspectionEngine,
  normalizeScope,
} from './DefaultInspectionEngine';
export type { InspectionEngineOptions } from './DefaultInspectionEngine';
export { Ruleset } from './ruleset';
export type { RulesetCheck } from './ruleset';
export { EntityMapper, CLUSTER_NAME_ANNOTATION } from './entities';
export { fingerprintOf } from './fingerprint';
