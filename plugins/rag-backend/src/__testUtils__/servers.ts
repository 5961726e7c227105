/*
 * The real servers of the integration tests: `kubemate.rag.*` as the dev stack configures it.
 * Until the stack's `rag` part is available, the addresses come from env vars with the defaults of
 * the development servers on this machine.
 */
export interface RagTestConfig {
  ollama: { baseUrl: string; embeddingModel: string; generationModel: string };
  milvus: { address: string };
  minio: {
    endPoint: string;
    port: number;
    useSSL: boolean;
    accessKey: string;
    secretKey: string;
  };
  redis: { url: string };
}

export async function ragTestConfig(): Promise<RagTestConfig> {
  const env = process.env;
  return {
    ollama: {
      baseUrl: env.KUBEMATE_RAG_OLLAMA ?? 'http://127.0.0.1:11434',
      embeddingModel: 'all-minilm-l6-v2',
      generationModel: 'smollm2-135m',
    },
    milvus: { address: env.KUBEMATE_RAG_MILVUS ?? '127.0.0.1:19530' },
    minio: {
      endPoint: '127.0.0.1',
      port: Number(env.KUBEMATE_RAG_MINIO_PORT ?? 9400),
      useSSL: false,
      accessKey: env.KUBEMATE_RAG_MINIO_ACCESS_KEY ?? 'kubemate',
      secretKey: env.KUBEMATE_RAG_MINIO_SECRET_KEY ?? 'kubemate-dev-secret',
    },
    redis: { url: env.KUBEMATE_RAG_REDIS ?? 'redis://127.0.0.1:6380' },
  };
}
