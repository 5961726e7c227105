export { finetuningApiRef } from './FinetuningApi';
export type { FinetuningApi, JobFilter, DatasetUpload } from './FinetuningApi';
export { FinetuningClient } from './FinetuningClient';
