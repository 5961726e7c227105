/*
 * The heavy clients (Milvus SDK, ioredis, minio, pdf-parse) are required at their first use, not
 * when the plugin loads or its services are built (bench/memory.mjs): the mocks' factories run
 * only when the module is required, and record it.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { parseDocument } from '../lib/parse';
import '../plugin';
import { RedisAnswerCache } from './Cache';
import { MinioObjectStore } from './ObjectStore';
import { MilvusVectorStore } from './VectorStore';

const mockLoaded: string[] = [];

jest.mock('@zilliz/milvus2-sdk-node', () => {
  mockLoaded.push('@zilliz/milvus2-sdk-node');
  return {
    DataType: { VarChar: 21, Int64: 5, FloatVector: 101 },
    MilvusClient: class {
      connectPromise = Promise.resolve();
      async getVersion() {
        return { version: 'v2.5.0' };
      }
      async checkHealth() {
        return { isHealthy: true, reasons: [] };
      }
      async closeConnection() {}
    },
  };
});
jest.mock('ioredis', () => {
  mockLoaded.push('ioredis');
  return {
    Redis: class {
      status = 'ready';
      on() {}
      async info() {
        return 'redis_version:7.4.0';
      }
      async quit() {}
      disconnect() {}
    },
  };
});
jest.mock('minio', () => {
  mockLoaded.push('minio');
  return {
    Client: class {
      async bucketExists() {
        return true;
      }
    },
  };
});
jest.mock('pdf-parse', () => {
  mockLoaded.push('pdf-parse');
  return {
    PDFParse: class {
      async getText() {
        return { pages: [{ num: 1, text: 'Runbook text' }] };
      }
      async getInfo() {
        return { info: { Title: 'Runbook' } };
      }
      async destroy() {}
    },
  };
});

describe('heavy modules of the rag backend', () => {
  it('are not loaded by the plugin, its services or their construction, only at first use', async () => {
    const logger = mockServices.logger.mock();
    const vectors = new MilvusVectorStore({
      address: '127.0.0.1:19530',
      embeddingModel: 'nomic-embed-text',
      logger,
    });
    const cache = new RedisAnswerCache({
      url: 'redis://127.0.0.1:6379',
      logger,
    });
    const objects = new MinioObjectStore({
      endPoint: '127.0.0.1',
      port: 9000,
      accessKey: 'minio',
      secretKey: 'minio-secret',
    });
    await cache.close(); // never used: nothing to close, nothing loaded
    expect(mockLoaded).toEqual([]);

    // first use loads each, and it works as before
    await expect(vectors.health()).resolves.toMatchObject({
      name: 'milvus',
      ok: true,
      detail: 'v2.5.0',
    });
    await expect(cache.health()).resolves.toMatchObject({
      name: 'redis',
      ok: true,
      detail: 'Redis 7.4.0',
    });
    await expect(objects.health()).resolves.toMatchObject({
      name: 'minio',
      ok: true,
    });
    expect(mockLoaded).toEqual([
      '@zilliz/milvus2-sdk-node',
      'ioredis',
      'minio',
    ]);

    expect(mockLoaded).not.toContain('pdf-parse');
    await expect(
      parseDocument({
        filename: 'runbook.pdf',
        format: 'pdf',
        body: Buffer.from('%PDF-1.7'),
      }),
    ).resolves.toMatchObject({
      title: 'Runbook',
      sections: [{ path: 'page 1', text: 'Runbook text' }],
    });
    expect(mockLoaded).toContain('pdf-parse');
  });
});
