export interface Config {
  kubemate?: {
    metrics?: {
      /** Thanos Query (or Prometheus) HTTP API, e.g. http://127.0.0.1:10904 (the dev stack's). */
      thanosQuery?: {
        url: string;
      };
      /** Alertmanager (API v2), e.g. http://127.0.0.1:9093 (the dev stack's). */
      alertmanager?: {
        url: string;
      };
    };
  };
}
