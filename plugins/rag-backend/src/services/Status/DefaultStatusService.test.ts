import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import type { UpstreamStatus } from '@kubemate/plugin-rag-common';
import { DefaultStatusService } from './DefaultStatusService';

const ok = (name: UpstreamStatus['name'], detail: string) => async () => ({
  name,
  ok: true,
  detail,
  latencyMs: 1,
});

function service(options: { denied?: boolean; milvusHangs?: boolean } = {}) {
  return new DefaultStatusService({
    access: {
      scope: async () => {
        if (options.denied) {
          throw new NotAllowedError('You are not allowed rag.collection.read');
        }
        return { type: 'teams', claims: ['user:default/alice'] };
      },
    } as any,
    models: {
      embeddingModel: 'embedder',
      generationModel: 'writer',
      health: async () => ({
        name: 'ollama',
        ok: false,
        detail: 'Ollama 0.24.0 has no model "writer"',
        latencyMs: 2,
        embeddingReady: true,
        generationReady: false,
      }),
    } as any,
    vectors: {
      health: options.milvusHangs
        ? () => new Promise(() => {})
        : ok('milvus', 'Milvus 2.6'),
    } as any,
    objects: { health: ok('minio', 'MinIO') } as any,
    cache: {
      health: async () => {
        throw new Error('boom');
      },
    } as any,
    maxUploadBytes: 1024,
    timeoutMs: 200,
  });
}

describe('DefaultStatusService', () => {
  it('reports every upstream, the models and the limits; a hanging one within the timeout', async () => {
    const started = Date.now();
    const status = await service({ milvusHangs: true }).status(
      mockCredentials.user(),
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(status.upstreams.map(u => [u.name, u.ok])).toEqual([
      ['ollama', false],
      ['milvus', false],
      ['minio', true],
      ['redis', false],
    ]);
    expect(status.upstreams[0]).not.toHaveProperty('embeddingReady');
    expect(status.upstreams[1].detail).toBe(
      'Milvus is unavailable: no answer within 200 ms',
    );
    expect(status.upstreams[3].detail).toBe('Redis is unavailable: boom');
    expect(status.models).toEqual({
      embedding: 'embedder',
      generation: 'writer',
      embeddingReady: true,
      generationReady: false,
    });
    expect(status.limits).toEqual({
      maxUploadBytes: 1024,
      formats: ['markdown', 'html', 'text', 'pdf'],
    });
  });

  it('requires rag.collection.read', async () => {
    await expect(
      service({ denied: true }).status(mockCredentials.user()),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });
});
