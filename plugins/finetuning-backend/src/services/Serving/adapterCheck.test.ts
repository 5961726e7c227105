/*
 * The checks that keep files Ollama's converter would choke on (or that do not fit the base) away
 * from Ollama, on adapters written by @kubemate/dev-stack's writeLoraAdapter.
 */
import { writeLoraAdapter, writeSafetensors } from '@kubemate/dev-stack';
import {
  baseDimsOf,
  checkAdapterConfig,
  checkAgainstBase,
  checkSafetensorsHeader,
} from './adapterCheck';

const smollm = baseDimsOf({
  'general.architecture': 'llama',
  'llama.block_count': 30,
  'llama.embedding_length': 576,
  'llama.attention.head_count': 9,
  'llama.attention.head_count_kv': 3,
  'llama.feed_forward_length': 1536,
});

const check = (file: Buffer) => checkSafetensorsHeader(file, file.length);

describe('checkSafetensorsHeader', () => {
  it('accepts the PEFT adapter and lists its tensors', () => {
    const file = writeLoraAdapter({ targetModules: ['q_proj', 'down_proj'] })[
      'adapter_model.safetensors'
    ];
    const tensors = check(file);
    expect(Array.isArray(tensors) && tensors.length).toBe(120);
    expect(tensors).toContainEqual({
      name: 'base_model.model.model.layers.4.mlp.down_proj.lora_A.weight',
      dtype: 'F32',
      shape: [8, 1536],
    });
    expect(checkAgainstBase(tensors as any, smollm)).toBeUndefined();
  });

  it.each([
    ['no file', Buffer.alloc(3), /shorter than 8 bytes/],
    [
      'text',
      Buffer.from('not a safetensors file'),
      /header length \d+ does not fit a 22-byte file/,
    ],
  ])('refuses %s', (_, file, why) => {
    expect(check(file)).toEqual({ problem: expect.stringMatching(why) });
  });

  /** a safetensors file with any header (what a broken writer may produce) */
  const raw = (tensor: object, dataBytes: number) => {
    const json = Buffer.from(
      JSON.stringify({
        'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight':
          tensor,
      }),
    );
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(json.length));
    return Buffer.concat([length, json, Buffer.alloc(dataBytes)]);
  };

  it('refuses unknown dtypes, tensors that are not 2-D, offsets that do not match', () => {
    const t = (dtype: string, shape: number[]) => ({
      dtype,
      shape,
      data_offsets: [0, 8],
    });
    expect(check(raw(t('I64', [1, 1]), 8))).toEqual({
      problem: expect.stringMatching(/has dtype "I64" \(F32, F16 or BF16\)/),
    });
    expect(check(raw(t('F32', [2]), 8))).toEqual({
      problem: expect.stringMatching(/is not 2-D \(shape \[2\]\)/),
    });
    expect(check(raw(t('F32', [2, 2]), 8))).toEqual({
      problem: expect.stringMatching(/8 bytes for shape \[2,2\] F32/),
    });
    expect(check(raw(t('F32', [1, 2]), 4))).toEqual({
      problem: expect.stringMatching(/outside the 4 data bytes/),
    });
    expect(
      check(
        writeSafetensors({
          'model.embed_tokens.weight': {
            dtype: 'F16',
            shape: [1, 1],
            data: Buffer.alloc(2),
          },
        }),
      ),
    ).toEqual({ problem: expect.stringMatching(/is not a LoRA tensor/) });
    expect(check(writeSafetensors({}, { format: 'pt' }))).toEqual({
      problem: expect.stringMatching(/holds no tensors/),
    });
  });
});

describe('checkAdapterConfig', () => {
  it('summarises the PEFT config', () => {
    expect(
      checkAdapterConfig(
        writeLoraAdapter({ rank: 4, alpha: 8 })[
          'adapter_config.json'
        ].toString(),
      ),
    ).toEqual({
      rank: 4,
      alpha: 8,
      targetModules: ['q_proj', 'v_proj'],
      baseModel: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    });
  });

  it('refuses what Ollama cannot read', () => {
    expect(checkAdapterConfig('{')).toEqual({
      problem: expect.stringMatching(/^adapter_config.json is not JSON/),
    });
    expect(checkAdapterConfig('[]')).toEqual({
      problem: 'adapter_config.json is not a JSON object',
    });
    expect(checkAdapterConfig('{"peft_type":"IA3"}')).toEqual({
      problem: expect.stringMatching(/peft_type is "IA3", only LORA/),
    });
    expect(checkAdapterConfig('{"lora_alpha":16.5}')).toEqual({
      problem: expect.stringMatching(
        /lora_alpha 16.5 is not a non-negative integer/,
      ),
    });
  });
});

describe('checkAgainstBase', () => {
  const tensors = (options: Parameters<typeof writeLoraAdapter>[0]) =>
    check(writeLoraAdapter(options)['adapter_model.safetensors']) as any;

  it('names the first tensor that does not fit the base', () => {
    expect(
      checkAgainstBase(
        tensors({
          architecture: {
            numHiddenLayers: 31,
            hiddenSize: 576,
            numAttentionHeads: 9,
            numKeyValueHeads: 3,
            intermediateSize: 1536,
          },
        }),
        smollm,
      ),
    ).toMatch(
      /layers.30.self_attn.q_proj.lora_A.weight: the base model has 30 layers/,
    );
    expect(
      checkAgainstBase(
        tensors({
          architecture: {
            numHiddenLayers: 1,
            hiddenSize: 576,
            numAttentionHeads: 9,
            numKeyValueHeads: 9,
            intermediateSize: 1536,
          },
        }),
        smollm,
      ),
    ).toMatch(
      /v_proj.lora_B.weight has shape \[576,8\], the base model's v_proj is 576 → 192/,
    );
  });

  it('names architectures Ollama cannot convert adapters for', () => {
    expect(
      checkAgainstBase([], baseDimsOf({ 'general.architecture': 'gemma3' })),
    ).toBe(
      'Ollama converts LoRA adapters for llama and gemma2 base models, not gemma3',
    );
  });
});
