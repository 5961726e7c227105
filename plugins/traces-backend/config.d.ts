export interface Config {
  kubemate?: {
    traces?: {
      /** Jaeger's query HTTP API, e.g. http://127.0.0.1:16686 (the dev stack's). */
      jaeger?: {
        url: string;
        /**
         * How long one request may take, in milliseconds, before it is answered with a 503 naming
         * Jaeger (default 15000): a hanging Jaeger does not hang the Traces tab.
         */
        timeoutMs?: number;
      };
    };
  };
}
