/*
 * `minio` and `ollama` are required at their first use, not when the plugin loads or its
 * services are built (bench/memory.mjs): the mocks' factories run only when the module is
 * required, and record it.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { FinetuningObjectStore } from './lib/objectStore';
import './plugin';
import { DefaultServingService } from './services/Serving';

const mockLoaded: string[] = [];

jest.mock('minio', () => {
  mockLoaded.push('minio');
  return {
    Client: class {
      async bucketExists() {
        return true;
      }
      async statObject() {
        return { size: 1 };
      }
    },
  };
});
jest.mock('ollama', () => {
  mockLoaded.push('ollama');
  return {
    Ollama: class {
      async list() {
        return {
          models: [
            {
              name: 'ft-team-a-job:latest',
              digest: 'd',
              size: 1,
              modified_at: '2026-01-01T00:00:00Z',
              details: { family: 'llama' },
            },
          ],
        };
      }
    },
  };
});

describe('heavy modules of the finetuning backend', () => {
  it('are not loaded by the plugin or its services, only at first use', async () => {
    const storage = {
      endPoint: '127.0.0.1',
      port: 9000,
      accessKey: 'minio',
      secretKey: 'minio-secret',
      bucket: 'kubemate-finetuning',
    };
    const objects = new FinetuningObjectStore(storage);
    const serving = DefaultServingService.fromConfig(
      mockServices.rootConfig({
        data: {
          kubemate: {
            finetuning: {
              storage,
              ollama: { baseUrl: 'http://127.0.0.1:11434' },
            },
          },
        },
      }),
    );
    expect(mockLoaded).toEqual([]);

    await expect(objects.exists('datasets/a.jsonl')).resolves.toBe(true);
    expect(mockLoaded).toEqual(['minio']);
    await expect(serving.list({ prefix: 'ft-' })).resolves.toMatchObject([
      { name: 'ft-team-a-job:latest', family: 'llama' },
    ]);
    expect(mockLoaded).toEqual(['minio', 'ollama']);
    await expect(
      serving.adapterStatus('s3://kubemate-finetuning/adapters/job/'),
    ).resolves.toMatchObject({ available: true });
  });
});
