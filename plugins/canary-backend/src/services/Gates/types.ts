import { GateState, GateType } from '@kubemate/plugin-canary-common';

/** A gate of one release revision (Flagger's checksum of the canary's spec). */
export interface GateKey {
  cluster: string;
  namespace: string;
  name: string;
  type: GateType;
  /** Flagger's `checksum` of the revision (webhook payload / status.lastAppliedSpec). */
  revision: string;
}

/**
 * Gate states in the plugin database (shared by every replica): closed until an authorized
 * user opens them; Flagger's webhook asks here.
 */
export interface GateStore {
  get(key: GateKey): Promise<Omit<GateState, 'declared'>>;
  open(key: GateKey, actor: string): Promise<void>;
  close(key: GateKey, actor: string): Promise<void>;
  /** Flagger asks: true when open; records that Flagger is waiting on it. */
  ask(key: GateKey): Promise<boolean>;
}
