/**
 * Answers Flagger's gate webhooks (`POST /gates/:cluster/:gate`): checks the gate token of the
 * webhook's metadata (AuthenticationError otherwise) and asks the {@link GateStore} whether the
 * gate of that release revision is open.
 */
export interface FlaggerGateHandler {
  handle(
    cluster: string,
    gate: 'confirm-rollout' | 'confirm-promotion' | 'rollback',
    payload: {
      name: string;
      namespace: string;
      phase?: string;
      checksum?: string;
      metadata?: Record<string, string>;
    },
  ): Promise<boolean>;
}
