import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { ragPlugin } from './plugin';

describe('ragPlugin without its servers configured', () => {
  it('starts, and every route answers 503 naming the missing configuration', async () => {
    const { server } = await startTestBackend({
      features: [
        ragPlugin,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const res = await request(server).get('/api/rag/collections');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      'The knowledge assistant is not configured: kubemate.rag.ollama.baseUrl, kubemate.rag.milvus, kubemate.rag.minio missing (in development: ./kubemate dev up --only rag)',
    );
  });
});
