export interface Config {
  kubemate?: {
    logs?: {
      /** Loki's HTTP API, e.g. http://127.0.0.1:3100 (the dev stack's). */
      loki?: {
        url: string;
      };
    };
  };
}
