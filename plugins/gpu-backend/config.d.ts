export interface Config {
  kubemate?: {
    gpu?: {
      /**
       * The Prometheus-compatible API holding the DCGM exporter's series (`DCGM_FI_DEV_GPU_UTIL`,
       * ...) and Kueue's metrics, e.g. http://127.0.0.1:10904 (the dev stack's Thanos Query).
       * Without it, utilization and idle GPUs answer 503 naming Prometheus; the rest works.
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
       * Quota requests up to this many GPUs are approved by policy (recorded as approved by
       * `policy:self-service`, applied at once); bigger ones wait for an approver. 0 sends every
       * request to the approvals inbox.
       * @default 0
       */
      selfServiceLimit?: number;
      /**
       * The largest quota request accepted, in GPUs (a bigger one is a 400).
       * @default 64
       */
      maxRequestGpus?: number;
      /**
       * The longest period a quota request may ask for, in hours.
       * @default 720
       */
      maxRequestHours?: number;
      /** Allocated-but-idle GPUs: below `thresholdPercent` on average over `windowMinutes`. */
      idle?: {
        /** @default 10 */
        thresholdPercent?: number;
        /** @default 60 */
        windowMinutes?: number;
      };
      /**
       * How often expired quota requests are given back (a scheduled task; any replica may run it),
       * in seconds.
       * @default 60
       */
      expiryIntervalSeconds?: number;
    };
  };
}
