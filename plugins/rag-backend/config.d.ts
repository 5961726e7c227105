export interface Config {
  kubemate?: {
    /** Knowledge assistant (plugins/rag-backend). The dev stack's overlay sets the servers. */
    rag?: {
      /** Ollama: embeddings and answers. */
      ollama?: {
        /** e.g. http://127.0.0.1:11434 */
        baseUrl?: string;
        /** default all-minilm-l6-v2 (384 dimensions) */
        embeddingModel?: string;
        /** default smollm2-135m; a real deployment points at a bigger model on a GPU Ollama */
        generationModel?: string;
        /** per embedding call (default 30000) */
        timeoutMs?: number;
        /** no token for this long while answering → 503 naming Ollama (default 30000) */
        generationIdleTimeoutMs?: number;
        /** texts per embedding call = chunks per ingestion batch (default 8: short calls on a busy CPU) */
        embedBatchSize?: number;
        /**
         * Ollama models whose name starts with this are offered besides generationModel (the
         * fine-tuning plugin serves adapters as `ft-<namespace>-<job>`; default `ft-`)
         */
        servedModelPrefix?: string;
      };
      /** Milvus (milvus-lite in development): one Milvus collection per embedding model. */
      milvus: {
        /** host:port of the gRPC endpoint, e.g. 127.0.0.1:19530 */
        address: string;
        username?: string;
        /** @visibility secret */
        password?: string;
        /** prefix of the Milvus collection names (default kubemate_rag) */
        collectionPrefix?: string;
        /** per call (default 10000) */
        timeoutMs?: number;
      };
      /** MinIO (or any S3): the uploaded originals, one prefix per collection. */
      minio: {
        endPoint: string;
        port?: number;
        useSSL?: boolean;
        accessKey: string;
        /** @visibility secret */
        secretKey: string;
        /** default kubemate-rag (created when missing) */
        bucket?: string;
        /** per call (default 10000) */
        timeoutMs?: number;
      };
      /** Redis: the answer and question-embedding cache. Down → answers without cache. */
      redis?: {
        /** e.g. redis://127.0.0.1:6380 */
        url: string;
        /** answers (default 86400) */
        ttlSeconds?: number;
        /** per call (default 1000) */
        timeoutMs?: number;
      };
      ingestion?: {
        /** largest upload (default 20971520 = 20 MiB) */
        maxUploadBytes?: number;
        /** target chunk size in (approximate WordPiece) tokens (default 200) */
        chunkTokens?: number;
        /** overlap between consecutive chunks (default 40) */
        chunkOverlapTokens?: number;
        /** a job's lease; a replica that dies mid-job loses it after this (default 60) */
        leaseSeconds?: number;
        /** jobs run at once per replica (default 2) */
        concurrency?: number;
        /** attempts of a job whose upstream (Ollama, Milvus, MinIO) fails before it is failed (default 5) */
        maxAttempts?: number;
        /** delay before the first retry, doubled per attempt, at most 60 s (default 2000) */
        retryBaseMs?: number;
        /** how often a replica looks for due jobs, and a progress stream for changes (default 1000) */
        pollMs?: number;
      };
      query?: {
        /** chunks retrieved (default 5) */
        topK?: number;
        /** below this cosine similarity nothing counts as found (default 0.3) */
        minScore?: number;
        /** longest answer in tokens (default 256) */
        maxAnswerTokens?: number;
      };
      /**
       * Knowledge bases created at start when missing, from a directory of documents (the dev
       * demo: the runbooks of the demo services). Relative paths: from the backend's working dir.
       */
      bootstrap?: Array<{
        name: string;
        title?: string;
        ownerRef: string;
        sharedWith?: string[];
        entityRefs?: string[];
        directory: string;
      }>;
    };
  };
}
