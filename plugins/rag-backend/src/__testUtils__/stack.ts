/*
 * The real servers of the rag integration tests: `kubemate.rag` of the dev stack's app config when
 * the stack runs its rag part, else RAG_OLLAMA_URL / RAG_MILVUS_ADDRESS / RAG_MINIO_* /
 * RAG_REDIS_URL with the dev defaults (the servers the lead started by hand, same ports).
 */
import { existsSync } from 'node:fs';
import { readStack, stackStateFile } from '@kubemate/dev-stack';

export interface RagServersConfig {
  ollama: {
    baseUrl: string;
    embeddingModel?: string;
    generationModel?: string;
  };
  milvus: { address: string };
  minio: {
    endPoint: string;
    port: number;
    useSSL?: boolean;
    accessKey: string;
    secretKey: string;
  };
  redis: { url: string };
}

const env = (name: string, fallback: string) => process.env[name] ?? fallback;

export async function ragStackConfig(): Promise<RagServersConfig> {
  const file = stackStateFile();
  if (existsSync(file)) {
    const rag = (readStack(file).appConfig as any)?.kubemate?.rag;
    if (rag?.ollama?.baseUrl && rag?.milvus?.address && rag?.minio) {
      return rag as RagServersConfig;
    }
  }
  return {
    ollama: { baseUrl: env('RAG_OLLAMA_URL', 'http://127.0.0.1:11434') },
    milvus: { address: env('RAG_MILVUS_ADDRESS', '127.0.0.1:19530') },
    minio: {
      endPoint: env('RAG_MINIO_HOST', '127.0.0.1'),
      port: Number(env('RAG_MINIO_PORT', '9400')),
      useSSL: false,
      accessKey: env('RAG_MINIO_ACCESS_KEY', 'kubemate'),
      secretKey: env('RAG_MINIO_SECRET_KEY', 'kubemate-dev-secret'),
    },
    redis: { url: env('RAG_REDIS_URL', 'redis://127.0.0.1:6380') },
  };
}
