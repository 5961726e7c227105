/*
 * The real servers of the rag integration tests, from the dev stack: `kubemate.rag` of the stack's
 * app config (`stack.sh up --only rag`; a stack.json that already describes the rag part — e.g.
 * KUBEMATE_STATE pointing at another state dir — is used as it is, without starting anything).
 *
 * RAG_SERVERS=env takes them from RAG_OLLAMA_URL, RAG_MILVUS_ADDRESS, RAG_MINIO_HOST / _PORT /
 * _ACCESS_KEY / _SECRET_KEY and RAG_REDIS_URL instead (defaults: the dev ports, as servers started
 * by hand outside the stack listen on them).
 */
import { existsSync } from 'node:fs';
import { readStack, requireStack, stackStateFile } from '@kubemate/dev-stack';

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
    bucket?: string;
  };
  redis: { url: string };
}

const env = (name: string, fallback: string) => process.env[name] ?? fallback;

function fromEnv(): RagServersConfig {
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

const ragOf = (appConfig: unknown): RagServersConfig | undefined => {
  const rag = (appConfig as any)?.kubemate?.rag;
  return rag?.ollama?.baseUrl && rag?.milvus?.address && rag?.minio
    ? (rag as RagServersConfig)
    : undefined;
};

let pending: Promise<RagServersConfig> | undefined;

export function ragStackConfig(): Promise<RagServersConfig> {
  pending ??= (async () => {
    if (process.env.RAG_SERVERS === 'env') return fromEnv();
    const file = stackStateFile();
    const described = existsSync(file)
      ? ragOf(readStack(file).appConfig)
      : undefined;
    if (described) return described;
    const stack = await requireStack({ only: ['rag'] });
    const rag = ragOf(stack.appConfig);
    if (!rag) {
      throw new Error(
        'the dev stack wrote no kubemate.rag config (deploy/dev/stack.sh up --only rag)',
      );
    }
    return rag;
  })();
  return pending;
}
