/*
 * The untrained PEFT LoRA adapter writer: the safetensors layout read back byte by byte, PEFT's
 * names and shapes for SmolLM2-135M, lora_B zero, lora_A within PEFT's kaiming-uniform bound and
 * deterministic, the half-precision encodings. (Ollama importing it is tested against the real
 * Ollama by plugins/finetuning-backend's Serving.integration.test.ts.)
 */
import {
  bfloat16Bits,
  float16Bits,
  readSafetensorsHeader,
  SMOLLM2_135M,
  untrainedMarker,
  writeLoraAdapter,
  writeSafetensors,
} from './loraAdapter';

const layer = (i: number, m: string) =>
  `base_model.model.model.layers.${i}.${m}`;

function tensor(file: Buffer, name: string): Float32Array {
  const { tensors, dataOffset } = readSafetensorsHeader(file);
  const t = tensors[name];
  if (t.dtype !== 'F32') throw new Error(`${name} is ${t.dtype}`);
  const [start, end] = t.data_offsets;
  const out = new Float32Array((end - start) / 4);
  for (let k = 0; k < out.length; k++) {
    out[k] = file.readFloatLE(dataOffset + start + k * 4);
  }
  return out;
}

describe('writeLoraAdapter (untrained)', () => {
  const files = writeLoraAdapter({ rank: 8, alpha: 16 });
  const st = files['adapter_model.safetensors'];

  it('writes the PEFT adapter config', () => {
    expect(Object.keys(files).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
    ]);
    const config = JSON.parse(files['adapter_config.json'].toString());
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 8,
      lora_alpha: 16,
      lora_dropout: 0.05,
      target_modules: ['q_proj', 'v_proj'],
      base_model_name_or_path: 'HuggingFaceTB/SmolLM2-135M-Instruct',
      bias: 'none',
      fan_in_fan_out: false,
    });
    // Ollama's converter unmarshals lora_alpha into an unsigned integer: "16", never "16.0"
    expect(files['adapter_config.json'].toString()).toContain(
      '"lora_alpha": 16,',
    );
  });

  it('lays the safetensors file out as the format says', () => {
    const headerLength = Number(st.readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
    const { metadata, tensors, dataOffset } = readSafetensorsHeader(st);
    expect(metadata).toMatchObject({
      format: 'pt',
      'kubemate.untrained': 'true',
    });
    const names = Object.keys(tensors);
    // 30 layers × (q, v) × (A, B)
    expect(names).toHaveLength(120);
    expect(tensors[`${layer(0, 'self_attn.q_proj')}.lora_A.weight`]).toEqual({
      dtype: 'F32',
      shape: [8, 576],
      data_offsets: expect.any(Array),
    });
    expect(
      tensors[`${layer(29, 'self_attn.q_proj')}.lora_B.weight`].shape,
    ).toEqual([576, 8]);
    // v_proj's output: 3 KV heads × 64
    expect(
      tensors[`${layer(7, 'self_attn.v_proj')}.lora_B.weight`].shape,
    ).toEqual([192, 8]);
    // contiguous, non-overlapping data covering the rest of the file exactly
    const ranges = Object.values(tensors)
      .map(t => t.data_offsets)
      .sort((a, b) => a[0] - b[0]);
    expect(ranges[0][0]).toBe(0);
    for (let k = 1; k < ranges.length; k++) {
      expect(ranges[k][0]).toBe(ranges[k - 1][1]);
    }
    expect(dataOffset + ranges[ranges.length - 1][1]).toBe(st.length);
  });

  it('is untrained: lora_B zero, lora_A from the kaiming-uniform bound, deterministic', () => {
    const b = tensor(st, `${layer(3, 'self_attn.q_proj')}.lora_B.weight`);
    expect(b.every(v => v === 0)).toBe(true);
    const a = tensor(st, `${layer(3, 'self_attn.q_proj')}.lora_A.weight`);
    const bound = 1 / Math.sqrt(576);
    expect(a.every(v => Math.abs(v) <= bound)).toBe(true);
    // spread over the range, not a constant
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(bound / 10);
    // U(-c, c) has variance c²/3
    expect(variance).toBeGreaterThan((bound * bound) / 3 / 1.2);
    expect(variance).toBeLessThan(((bound * bound) / 3) * 1.2);
    const again = writeLoraAdapter({ rank: 8, alpha: 16 });
    expect(again['adapter_model.safetensors'].equals(st)).toBe(true);
    expect(
      again['adapter_config.json'].equals(files['adapter_config.json']),
    ).toBe(true);
    expect(
      writeLoraAdapter({ seed: 7 })['adapter_model.safetensors'].equals(st),
    ).toBe(false);
  });

  it('writes zeros everywhere with init zeros, and other targets and dtypes', () => {
    const zeros = writeLoraAdapter({ init: 'zeros' })[
      'adapter_model.safetensors'
    ];
    const { dataOffset } = readSafetensorsHeader(zeros);
    expect(zeros.subarray(dataOffset).every(v => v === 0)).toBe(true);

    const all = writeLoraAdapter({
      architecture: { ...SMOLLM2_135M, numHiddenLayers: 2 },
      rank: 4,
      targetModules: ['k_proj', 'o_proj', 'gate_proj', 'down_proj'],
      dtype: 'BF16',
    });
    const { tensors } = readSafetensorsHeader(all['adapter_model.safetensors']);
    expect(Object.keys(tensors)).toHaveLength(16);
    expect(
      tensors[`${layer(1, 'self_attn.k_proj')}.lora_B.weight`],
    ).toMatchObject({
      dtype: 'BF16',
      shape: [192, 4],
    });
    expect(tensors[`${layer(0, 'mlp.gate_proj')}.lora_B.weight`].shape).toEqual(
      [1536, 4],
    );
    expect(tensors[`${layer(0, 'mlp.down_proj')}.lora_A.weight`].shape).toEqual(
      [4, 1536],
    );
    const f16 = writeLoraAdapter({ dtype: 'F16' })['adapter_model.safetensors'];
    // half the F32 data
    expect(f16.length).toBeLessThan(st.length / 2 + 20_000);
  });

  it('refuses bad options, naming them', () => {
    expect(() => writeLoraAdapter({ rank: 0 })).toThrow(
      /rank must be an integer/,
    );
    expect(() => writeLoraAdapter({ alpha: 16.5 })).toThrow(
      /alpha must be an integer/,
    );
    expect(() => writeLoraAdapter({ dropout: 1 })).toThrow(/dropout/);
    expect(() =>
      writeLoraAdapter({ targetModules: ['lm_head' as 'q_proj'] }),
    ).toThrow(/unknown target module "lm_head"/);
    expect(() => writeLoraAdapter({ targetModules: [] })).toThrow(/empty/);
  });

  it('labels the marker file untrained', () => {
    expect(untrainedMarker().toString()).toMatch(/^UNTRAINED LoRA adapter/);
  });
});

describe('safetensors helpers', () => {
  it('checks a tensor’s byte length against its shape', () => {
    expect(() =>
      writeSafetensors({
        x: { dtype: 'F32', shape: [2, 2], data: Buffer.alloc(12) },
      }),
    ).toThrow(/12 bytes for shape \[2,2\] F32 \(expected 16\)/);
  });

  it('encodes half precision with rounding to nearest even', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(0.1)).toBe(0x2e66);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(1e6)).toBe(0x7c00);
    expect(float16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float16Bits(0)).toBe(0);
    expect(bfloat16Bits(1)).toBe(0x3f80);
    expect(bfloat16Bits(-0.1)).toBe(0xbdcd);
    expect(bfloat16Bits(3.140625)).toBe(0x4049);
  });
});
