export interface Config {
  kubemate?: {
    canary?: {
      /**
       * The Prometheus-compatible API Flagger's checks query (Flagger's -metrics-server), e.g.
       * http://127.0.0.1:10904 (the dev stack's Thanos Query). The portal re-runs each check's
       * query there to show the measured value next to the threshold.
       */
      prometheus?: {
        url: string;
        /**
         * Timeout of one query, in milliseconds.
         * @default 10000
         */
        timeoutMs?: number;
      };
      /**
       * The secret Flagger's gate webhooks carry in their metadata (`token`): the `/gates`
       * routes are open to unauthenticated callers (Flagger) and refuse any other token.
       * @visibility secret
       */
      gateToken?: string;
      /**
       * How often the Canaries' status and events are recorded into the release history, in
       * seconds.
       * @default 10
       */
      historyIntervalSeconds?: number;
    };
  };
}
