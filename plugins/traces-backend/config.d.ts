export interface Config {
  kubemate?: {
    traces?: {
      /** Jaeger's query HTTP API, e.g. http://127.0.0.1:16686 (the dev stack's). */
      jaeger?: {
        url: string;
      };
    };
  };
}
