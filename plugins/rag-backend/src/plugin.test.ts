import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('ragPlugin while the local stack is still building its servers', () => {
  it('says so before the missing configuration (KUBEMATE_DEV_STACK_PROGRESS)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'km-rag-'));
    const saved = process.env.KUBEMATE_DEV_STACK_PROGRESS;
    process.env.KUBEMATE_DEV_STACK_PROGRESS = join(dir, 'progress.json');
    writeFileSync(
      process.env.KUBEMATE_DEV_STACK_PROGRESS,
      JSON.stringify({
        version: 1,
        updatedAt: new Date().toISOString(),
        startedAt: new Date().toISOString(),
        running: true,
        pid: process.pid,
        servers: [
          {
            id: 'ollama',
            part: 'rag',
            title: 'Ollama',
            state: 'building',
            since: new Date().toISOString(),
            etaSeconds: 184,
            log: null,
            error: null,
          },
        ],
      }),
    );
    try {
      const { server } = await startTestBackend({
        features: [
          ragPlugin,
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({ data: {} }),
        ],
      });
      const res = await request(server).get('/api/rag/collections');
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        /^Ollama is still building — about [34] min left \(local stack; see the Local stack page\) — The knowledge assistant is not configured: /,
      );
    } finally {
      if (saved === undefined) delete process.env.KUBEMATE_DEV_STACK_PROGRESS;
      else process.env.KUBEMATE_DEV_STACK_PROGRESS = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
