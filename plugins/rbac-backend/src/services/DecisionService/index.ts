export type { DecisionService } from './types';
export { DefaultDecisionService, userRefOf } from './DefaultDecisionService';
