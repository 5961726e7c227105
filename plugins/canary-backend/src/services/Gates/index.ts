export * from './types';
export type { FlaggerGateHandler } from './FlaggerGateHandler';
export { DatabaseGateStore } from './DatabaseGateStore';
export { DefaultFlaggerGateHandler } from './DefaultFlaggerGateHandler';
export { declaresGate, gatePath, revisionOf, CANARIES } from './flagger';
export type { CanaryObject } from './flagger';
