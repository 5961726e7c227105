export interface Config {
  kubemate?: {
    kubernetes?: {
      /**
       * How a signed-in Backstage user is presented to Kubernetes when the portal acts on their
       * behalf (impersonation on top of the portal's service account token).
       */
      identity?: {
        /**
         * Prefix of the impersonated user name; `user:default/alice` becomes `<prefix>alice`
         * (users of other catalog namespaces: `<prefix><namespace>/<name>`).
         * @default kubemate:user:
         */
        userPrefix?: string;
        /**
         * Prefix of each impersonated group; every group in the user's ownership refs
         * (`group:default/team-payments`) becomes `<prefix>team-payments`.
         * @default kubemate:group:
         */
        groupPrefix?: string;
        /**
         * Groups added to every impersonated user (for example a cluster-wide viewers group).
         * @default []
         */
        extraGroups?: string[];
      };
    };
    permissions?: {
      /**
       * The permission decision cache of the metrics and logs backends
       * (plugins/kubemate-node/src/permissions/decisionCache.ts): a user's decision is reused for
       * `ttlMs`, so a role removed is still honoured up to that long (per replica, in memory).
       */
      decisionCache?: {
        /**
         * How long a decision is reused, in milliseconds; 0 disables the cache.
         * @default 1000
         */
        ttlMs?: number;
        /**
         * The most decisions kept per plugin (the oldest dropped first).
         * @default 1000
         */
        maxEntries?: number;
      };
    };
    /**
     * Keep-alive connection pools of the metrics and logs backends to Thanos Query, Alertmanager
     * and Loki (plugins/kubemate-node/src/lib/upstreamPool.ts), one per plugin.
     */
    upstreamPool?: {
      /**
       * The most sockets open to one upstream; further requests wait for a free one. 0: no pool
       * (each plugin's requests go through the process's global fetch).
       * @default 32
       */
      connections?: number;
      /**
       * How long an idle socket stays open for the next request, in milliseconds.
       * @default 30000
       */
      keepAliveTimeoutMs?: number;
    };
    /**
     * Per-user rate limits of expensive routes (plugins/kubemate-node/src/lib/rateLimit.ts), by
     * limit name: logsQuery, metricsQuery, tracesSearch, podLogs, ragQuery, ragIngest,
     * inspectionsRun, finetuningLaunch. Counted per user (or service) in fixed windows in the
     * plugin's cache (backend.cache; shared between replicas when the cache is). Over the limit:
     * 429 with Retry-After. Defaults: RATE_LIMIT_DEFAULTS (docs/security.md).
     */
    rateLimits?: {
      [name: string]: {
        /** Requests allowed per user per window; 0 turns the limit off. */
        requests?: number;
        /** Length of a window in seconds. */
        windowSeconds?: number;
      };
    };
  };
}
