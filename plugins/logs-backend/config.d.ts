export interface Config {
  kubemate?: {
    logs?: {
      /** Loki's HTTP API, e.g. http://127.0.0.1:3100 (the dev stack's). */
      loki?: {
        url: string;
        /**
         * How long one Loki request may take, in milliseconds, before it is answered with a 503
         * naming Loki (default 15000): a hanging Loki does not hang the Logs tab.
         */
        timeoutMs?: number;
      };
    };
  };
}
