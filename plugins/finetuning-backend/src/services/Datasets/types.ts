import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Dataset,
  DatasetPreview,
  ListResponse,
} from '@kubemate/plugin-finetuning-common';

export interface DatasetUpload {
  cluster: string;
  namespace: string;
  name: string;
  description?: string;
  instructionField?: string;
  responseField?: string;
  inputField?: string;
  file?: { originalName: string; contentType?: string; body: Buffer };
}

export interface DatasetsService {
  list(
    credentials: BackstageCredentials,
    query: { cluster?: string; namespace?: string },
  ): Promise<ListResponse<Dataset>>;
  upload(
    credentials: BackstageCredentials,
    upload: DatasetUpload,
  ): Promise<Dataset>;
  get(credentials: BackstageCredentials, id: string): Promise<Dataset>;
  preview(
    credentials: BackstageCredentials,
    id: string,
    limit?: number,
  ): Promise<DatasetPreview>;
  delete(credentials: BackstageCredentials, id: string): Promise<void>;
}
