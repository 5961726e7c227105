export type { Membership } from './types';
export { DefaultMembership } from './DefaultMembership';
