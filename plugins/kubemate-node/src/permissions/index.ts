export * from './clustersObject';
export * from './scope';
export * from './requirePermission';
export * from './rbacExtensionPoint';
export * from './teamOwned';
export * from './decisionCache';
