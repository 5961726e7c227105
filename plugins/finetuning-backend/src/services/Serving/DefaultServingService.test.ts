/*
 * What the serving service decides before calling MinIO or Ollama: the default model name, the
 * adapter URI, Ollama's name rules (80 characters a part). Serving itself runs against the real
 * MinIO and Ollama in Serving.integration.test.ts.
 */
import { Client } from 'minio';
import {
  DefaultServingService,
  parseAdapterUri,
  servedModelName,
} from './DefaultServingService';

describe('servedModelName', () => {
  it('is ft-<namespace>-<job>, an Ollama name of at most 80 characters', () => {
    expect(servedModelName('payments-dev', 'fraud-lora-r8')).toBe(
      'ft-payments-dev-fraud-lora-r8',
    );
    expect(servedModelName('Payments_Dev', 'a b/c')).toBe(
      'ft-payments_dev-a-b-c',
    );
    const long = servedModelName('n'.repeat(63), `${'j'.repeat(60)}-x`);
    expect(long).toHaveLength(80);
    expect(servedModelName('ns', `${'j'.repeat(75)}-.x`)).toBe(
      `ft-ns-${'j'.repeat(74)}`,
    );
  });
});

describe('parseAdapterUri', () => {
  it('reads the bucket and the prefix (ending with /)', () => {
    expect(parseAdapterUri('s3://kubemate-finetuning/adapters/a/b/')).toEqual({
      bucket: 'kubemate-finetuning',
      prefix: 'adapters/a/b/',
    });
    expect(parseAdapterUri('s3://kubemate-finetuning/adapters/a')).toEqual({
      bucket: 'kubemate-finetuning',
      prefix: 'adapters/a/',
    });
  });

  it('refuses what is not an s3 URI or climbs out of its prefix', () => {
    expect(() => parseAdapterUri('http://minio/x/')).toThrow(
      'adapter URI "http://minio/x/" is not s3://<bucket>/<prefix>/',
    );
    expect(() => parseAdapterUri('s3://b/../x/')).toThrow(/not s3:|".."/);
    expect(() => parseAdapterUri('s3://bucket/a/../../x/')).toThrow(
      'adapter URI "s3://bucket/a/../../x/" has a ".." segment',
    );
  });
});

describe('DefaultServingService.serve input', () => {
  // never reached: the input is refused first
  const minio = new Client({
    endPoint: '127.0.0.1',
    port: 1,
    useSSL: false,
    accessKey: 'x',
    secretKey: 'xxxxxxxx',
  });
  const serving = new DefaultServingService({
    minio,
    minioUrl: 'http://127.0.0.1:1',
    bucket: 'kubemate-finetuning',
    ollamaBaseUrl: 'http://127.0.0.1:1',
  });
  const request = (
    modelName: string,
    adapterUri = 's3://kubemate-finetuning/a/',
  ) => ({
    modelName,
    ollamaBase: 'smollm2-135m',
    adapterUri,
    job: { id: 'j', cluster: 'dev-cluster', namespace: 'ns', baseModel: 'b' },
    createdBy: 'user:default/alice',
  });

  it.each([
    ['Upper', /is not an Ollama model name/],
    [`ft-${'x'.repeat(78)}`, /at most 80 characters/],
    ['ft-a:', /is not an Ollama model name/],
    ['-ft', /is not an Ollama model name/],
  ])('refuses the model name %s', async (name, why) => {
    await expect(serving.serve(request(name))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(why),
    });
  });

  it('refuses an adapter outside the fine-tuning bucket', async () => {
    await expect(
      serving.serve(request('ft-ok', 's3://kubemate-rag/a/')),
    ).rejects.toThrow(
      'adapter URI "s3://kubemate-rag/a/" is not in the fine-tuning bucket kubemate-finetuning',
    );
  });
});
