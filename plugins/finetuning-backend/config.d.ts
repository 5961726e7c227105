export interface Config {
  kubemate?: {
    finetuning?: {
      /** The MLflow tracking server every run is created in and read from. */
      mlflow?: {
        /** e.g. http://127.0.0.1:9330 (the dev stack's MLflow, part `finetuning`) */
        url: string;
        /** The tracking URI the training pods use, when it differs from `url`. @default url */
        jobTrackingUri?: string;
        /** Base of links to a run in the MLflow UI. @default url */
        uiUrl?: string;
        /** Experiments are named `<experimentPrefix>/<namespace>`. @default kubemate-finetuning */
        experimentPrefix?: string;
        /** Timeout of one call, in milliseconds. @default 10000 */
        timeoutMs?: number;
      };
      /** The S3 store (MinIO) holding datasets and adapters. */
      storage?: {
        endPoint: string;
        port?: number;
        useSSL?: boolean;
        /** @visibility secret */
        accessKey: string;
        /** @visibility secret */
        secretKey: string;
        /** created when missing @default kubemate-finetuning */
        bucket?: string;
        /** @default us-east-1 */
        region?: string;
        /** Timeout of one call, in milliseconds. @default 15000 */
        timeoutMs?: number;
      };
      /** The Ollama adapters are served on. */
      ollama?: {
        /** e.g. http://127.0.0.1:11434 */
        baseUrl: string;
        /** Timeout of a model creation (adapter conversion), in milliseconds. @default 120000 */
        timeoutMs?: number;
      };
      /** The base models a job may fine-tune. */
      baseModels?: Array<{
        name: string;
        title?: string;
        /** the Hugging Face model id the training script loads */
        hfModel: string;
        /** the Ollama model adapters are served on; absent: the model cannot be served */
        ollamaModel?: string;
        parameters?: string;
      }>;
      /** How a job's pods are made. */
      trainer?: {
        /** The training script's image (templates/lora-finetuning builds it). */
        image: string;
        /** @default ['python', '/app/train.py'] */
        command?: string[];
        /** Secret in the job's namespace with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for the store. @default kubemate-finetuning-s3 */
        storageSecretName?: string;
        /** The S3 endpoint the pods use. @default storage endPoint:port */
        storageEndpoint?: string;
        /** Requests of each replica besides GPUs. @default { cpu: '1', memory: '2Gi' } */
        cpu?: string;
        memory?: string;
        /** Extra pod annotations (the dev stack sets kwok's run duration: simulated training). */
        podAnnotations?: { [name: string]: string };
        /** Extra pod labels. */
        podLabels?: { [name: string]: string };
      };
      /** Dataset validation. */
      datasets?: {
        /** @default 104857600 (100 MiB) */
        maxBytes?: number;
        /** @default 1000000 */
        maxRows?: number;
        /** @default 20 */
        previewRows?: number;
      };
      limits?: {
        /** @default 8 */
        maxWorkers?: number;
        /** @default 8 */
        maxGpusPerWorker?: number;
        /** @default 20 */
        maxEpochs?: number;
        /** @default 16 */
        maxSweepTrials?: number;
      };
      /** The launch form's estimate. */
      pricing?: {
        /** @default USD */
        currency?: string;
        /** cost of one GPU hour by flavor name or GPU product, `default` for the rest */
        gpuHourCost?: { [flavorOrProduct: string]: number };
        /** tokens per second per GPU by flavor name or GPU product, `default` for the rest */
        tokensPerSecondPerGpu?: { [flavorOrProduct: string]: number };
      };
    };
  };
}
