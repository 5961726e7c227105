export interface Config {
  kubemate?: {
    metrics?: {
      /** Thanos Query (or Prometheus) HTTP API, e.g. http://127.0.0.1:10904 (the dev stack's). */
      thanosQuery?: {
        url: string;
        /**
         * How long one query may take, in milliseconds, before it is answered with a 503 naming
         * Thanos Query (default 15000): a hanging Thanos Query does not hang the Metrics tab.
         */
        timeoutMs?: number;
      };
      /** Alertmanager (API v2), e.g. http://127.0.0.1:9093 (the dev stack's). */
      alertmanager?: {
        url: string;
        /** How long one request may take, in milliseconds, before it is a 503 (default 15000). */
        timeoutMs?: number;
      };
    };
  };
}
