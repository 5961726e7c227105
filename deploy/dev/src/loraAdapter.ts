/*
 * Writes an UNTRAINED PEFT LoRA adapter for a llama-architecture base model: the two files
 * `PeftModel.save_pretrained` produces — `adapter_config.json` and `adapter_model.safetensors` —
 * initialised as PEFT initialises a fresh LoRA layer and never trained: every `lora_B` is zero (so
 * the adapted model computes exactly what the base computes) and every `lora_A` is drawn from
 * PEFT's default kaiming-uniform bound (U(-1/sqrt(in), 1/sqrt(in))) with a seeded PRNG, or zero.
 *
 * Used by the dev stack's demo trainer (simulated training writes this adapter where a real job
 * would write its result) and by tests that serve an adapter through Ollama. Labelled untrained in
 * the safetensors `__metadata__` (`kubemate.untrained`), and by the marker file
 * {@link UNTRAINED_MARKER_FILE} whose content {@link untrainedMarker} gives.
 *
 * The safetensors file is written by hand (format: 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets}}` padded with spaces to 8 bytes, then the raw little-endian
 * data). Ollama (v0.24.0, `POST /api/create` with `from` + `adapters`) converts it to a GGUF LoRA.
 * Pure TypeScript, no dependencies (Node's type stripping can run it).
 */

/** The dimensions of a llama-architecture decoder (Hugging Face `config.json` names). */
export interface LlamaDims {
  numHiddenLayers: number;
  hiddenSize: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  /** default hiddenSize / numAttentionHeads */
  headDim?: number;
  intermediateSize: number;
}

/** HuggingFaceTB/SmolLM2-135M(-Instruct): the dev stack's base model (`smollm2-135m` in Ollama). */
export const SMOLLM2_135M: LlamaDims = {
  numHiddenLayers: 30,
  hiddenSize: 576,
  numAttentionHeads: 9,
  numKeyValueHeads: 3,
  headDim: 64,
  intermediateSize: 1536,
};

/** The linear layers of a llama block a LoRA adapter may target (PEFT `target_modules`). */
export type LlamaLoraTarget =
  | 'q_proj'
  | 'k_proj'
  | 'v_proj'
  | 'o_proj'
  | 'gate_proj'
  | 'up_proj'
  | 'down_proj';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

export interface LoraAdapterOptions {
  /** the base model's dimensions (default {@link SMOLLM2_135M}) */
  architecture?: LlamaDims;
  /** `base_model_name_or_path` (default `HuggingFaceTB/SmolLM2-135M-Instruct`) */
  baseModel?: string;
  /** LoRA rank r (default 8) */
  rank?: number;
  /** lora_alpha, an integer (default 16; Ollama's converter reads it as an unsigned integer) */
  alpha?: number;
  /** lora_dropout (default 0.05) */
  dropout?: number;
  /** default ['q_proj', 'v_proj'] */
  targetModules?: LlamaLoraTarget[];
  /** lora_A initialisation (default 'kaiming-uniform'); lora_B is always zero */
  init?: 'kaiming-uniform' | 'zeros';
  /** seed of lora_A's PRNG (default 0) */
  seed?: number;
  /** tensor dtype in the safetensors file (default F32) */
  dtype?: SafetensorsDtype;
}

/** The files of the adapter, as PEFT names them. */
// a type (not an interface) so it is a Record<string, Buffer> for code that writes every file
export type LoraAdapterFiles = {
  'adapter_config.json': Buffer;
  'adapter_model.safetensors': Buffer;
};

/** The marker file the demo trainer writes next to an untrained adapter. */
export const UNTRAINED_MARKER_FILE = 'KUBEMATE_UNTRAINED';

const DEFAULT_BASE_MODEL = 'HuggingFaceTB/SmolLM2-135M-Instruct';
const TARGETS: readonly LlamaLoraTarget[] = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
];

const ATTENTION: readonly LlamaLoraTarget[] = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
];

/** [in, out] features of a target linear layer. */
function linearDims(
  dims: LlamaDims,
  target: LlamaLoraTarget,
): [number, number] {
  const headDim = dims.headDim ?? dims.hiddenSize / dims.numAttentionHeads;
  const q = dims.numAttentionHeads * headDim;
  const kv = dims.numKeyValueHeads * headDim;
  switch (target) {
    case 'q_proj':
      return [dims.hiddenSize, q];
    case 'k_proj':
    case 'v_proj':
      return [dims.hiddenSize, kv];
    case 'o_proj':
      return [q, dims.hiddenSize];
    case 'gate_proj':
    case 'up_proj':
      return [dims.hiddenSize, dims.intermediateSize];
    case 'down_proj':
      return [dims.intermediateSize, dims.hiddenSize];
    default:
      throw new Error(`unknown LoRA target module "${target as string}"`);
  }
}

/** The PEFT tensor-name prefix of a target in layer `i`. */
function modulePath(i: number, target: LlamaLoraTarget): string {
  const block = ATTENTION.includes(target) ? 'self_attn' : 'mlp';
  return `base_model.model.model.layers.${i}.${block}.${target}`;
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of `value` (round to nearest even). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  e = half >>> 10;
  return sign | (e >= 0x1f ? 0x7c00 : half);
}

/** bfloat16 bits of `value` (round to nearest even). */
export function bfloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

function encode(values: Float32Array, dtype: SafetensorsDtype): Buffer {
  const out = Buffer.alloc(values.length * BYTES[dtype]);
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'F32') out.writeFloatLE(values[i], i * 4);
    else if (dtype === 'F16') out.writeUInt16LE(float16Bits(values[i]), i * 2);
    else out.writeUInt16LE(bfloat16Bits(values[i]), i * 2);
  }
  return out;
}

export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Buffer;
}

/** Serialises tensors (in name order) and string metadata into the safetensors format. */
export function writeSafetensors(
  tensors: Record<string, SafetensorsTensor>,
  metadata: Record<string, string> = {},
): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const names = Object.keys(tensors).sort();
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const expected = t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype];
    if (t.data.length !== expected) {
      throw new Error(
        `tensor ${name}: ${t.data.length} bytes for shape [${t.shape}] ${t.dtype} (expected ${expected})`,
      );
    }
    header[name] = {
      dtype: t.dtype,
      shape: t.shape,
      data_offsets: [offset, offset + t.data.length],
    };
    offset += t.data.length;
  }
  let json = JSON.stringify(header);
  // the data starts 8-byte aligned (trailing spaces are allowed in the header)
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(head.length));
  return Buffer.concat([length, head, ...names.map(n => tensors[n].data)]);
}

/** Parses a safetensors file's header (tests and checks; the data is not copied). */
export function readSafetensorsHeader(file: Buffer): {
  metadata: Record<string, string>;
  tensors: Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  dataOffset: number;
} {
  const n = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + n).toString('utf8'));
  const { __metadata__: metadata = {}, ...tensors } = header;
  return { metadata, tensors, dataOffset: 8 + n };
}

function checkInteger(name: string, value: number, min: number) {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer ≥ ${min} (got ${value})`);
  }
}

/** Writes the untrained adapter (see the file comment). Deterministic for the same options. */
export function writeLoraAdapter(
  options: LoraAdapterOptions = {},
): LoraAdapterFiles {
  const dims = options.architecture ?? SMOLLM2_135M;
  const rank = options.rank ?? 8;
  const alpha = options.alpha ?? 16;
  const dropout = options.dropout ?? 0.05;
  const targets = options.targetModules ?? ['q_proj', 'v_proj'];
  const init = options.init ?? 'kaiming-uniform';
  const dtype = options.dtype ?? 'F32';
  const baseModel = options.baseModel ?? DEFAULT_BASE_MODEL;
  checkInteger('rank', rank, 1);
  checkInteger('alpha', alpha, 1);
  checkInteger('architecture.numHiddenLayers', dims.numHiddenLayers, 1);
  if (!(dropout >= 0 && dropout < 1)) {
    throw new Error(`dropout must be in [0, 1) (got ${dropout})`);
  }
  if (!targets.length) throw new Error('targetModules is empty');
  for (const t of targets) {
    if (!TARGETS.includes(t)) {
      throw new Error(
        `unknown target module "${t}" (one of ${TARGETS.join(', ')})`,
      );
    }
  }
  if (!(BYTES as Record<string, number>)[dtype]) {
    throw new Error(`dtype must be one of F32, F16, BF16 (got ${dtype})`);
  }

  const random = prng(options.seed ?? 0);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (let i = 0; i < dims.numHiddenLayers; i++) {
    for (const target of targets) {
      const [inFeatures, outFeatures] = linearDims(dims, target);
      const a = new Float32Array(rank * inFeatures);
      if (init === 'kaiming-uniform') {
        // kaiming_uniform_(a=sqrt(5)) on a [r, in] weight: U(-1/sqrt(in), 1/sqrt(in))
        const bound = 1 / Math.sqrt(inFeatures);
        for (let k = 0; k < a.length; k++) a[k] = (random() * 2 - 1) * bound;
      }
      const path = modulePath(i, target);
      tensors[`${path}.lora_A.weight`] = {
        dtype,
        shape: [rank, inFeatures],
        data: encode(a, dtype),
      };
      tensors[`${path}.lora_B.weight`] = {
        dtype,
        shape: [outFeatures, rank],
        data: Buffer.alloc(outFeatures * rank * BYTES[dtype]),
      };
    }
  }

  const config = {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: baseModel,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: alpha,
    lora_dropout: dropout,
    modules_to_save: null,
    peft_type: 'LORA',
    r: rank,
    rank_pattern: {},
    revision: null,
    target_modules: [...targets],
    task_type: 'CAUSAL_LM',
    use_dora: false,
    use_rslora: false,
  };
  const metadata = {
    format: 'pt',
    'kubemate.untrained': 'true',
    'kubemate.init': `lora_A ${init}${
      init === 'kaiming-uniform' ? ` seed ${options.seed ?? 0}` : ''
    }, lora_B zeros`,
  };
  return {
    'adapter_config.json': Buffer.from(`${JSON.stringify(config, null, 2)}\n`),
    'adapter_model.safetensors': writeSafetensors(tensors, metadata),
  };
}

/** The content of {@link UNTRAINED_MARKER_FILE}: why the adapter is not a training result. */
export function untrainedMarker(
  reason = 'written by the Kubemate dev stack',
): Buffer {
  return Buffer.from(
    `UNTRAINED LoRA adapter (${reason}): lora_B is zero, so the adapted model equals its base model. ` +
      'It is not the result of any training.\n',
  );
}
