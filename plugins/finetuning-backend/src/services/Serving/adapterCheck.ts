/*
 * Checks a PEFT LoRA adapter before Ollama sees it. Ollama v0.24.0's converter trusts the file:
 * a safetensors header length that is not one (any non-safetensors file) makes it allocate from
 * garbage and the whole server dies (`panic: makeslice: cap out of range` in
 * convert.parseSafetensors), a 1-D tensor indexes out of range, and an adapter for other dimensions
 * converts fine but then fails every answer. So the portal refuses such files itself (400 naming
 * what is wrong), and compares the shapes with the base model's dimensions (Ollama's /api/show).
 */

/** dtypes Ollama's adapter converter reads (F8 is for base models only). */
const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };
/** a LoRA header is a few KB per layer; 64 MiB is far beyond any adapter */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export interface AdapterTensor {
  name: string;
  dtype: string;
  shape: [number, number];
}

export interface AdapterConfigSummary {
  rank?: number;
  alpha?: number;
  targetModules?: string[];
  baseModel?: string;
}

/** The architectures whose adapters Ollama v0.24.0 converts (`convert.ConvertAdapter`). */
export const OLLAMA_ADAPTER_ARCHITECTURES = ['llama', 'gemma2'];

const isInt = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Parses and checks `adapter_config.json`: a JSON object, `peft_type` LORA when present, `r` and
 * `lora_alpha` non-negative integers when present (Ollama reads lora_alpha as an unsigned
 * integer). Returns the problem as a sentence, or the summary.
 */
export function checkAdapterConfig(
  text: string,
): AdapterConfigSummary | { problem: string } {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(text);
  } catch (e) {
    return {
      problem: `adapter_config.json is not JSON (${(e as Error).message})`,
    };
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    return { problem: 'adapter_config.json is not a JSON object' };
  }
  if (config.peft_type !== undefined && config.peft_type !== 'LORA') {
    return {
      problem: `adapter_config.json: peft_type is ${JSON.stringify(
        config.peft_type,
      )}, only LORA adapters can be served`,
    };
  }
  if (config.r !== undefined && !isInt(config.r)) {
    return { problem: 'adapter_config.json: r is not a non-negative integer' };
  }
  if (config.lora_alpha !== undefined && !isInt(config.lora_alpha)) {
    return {
      problem: `adapter_config.json: lora_alpha ${JSON.stringify(
        config.lora_alpha,
      )} is not a non-negative integer (Ollama reads it as one)`,
    };
  }
  const targets = config.target_modules;
  return {
    rank: config.r as number | undefined,
    alpha: config.lora_alpha as number | undefined,
    targetModules: Array.isArray(targets)
      ? targets.filter((t): t is string => typeof t === 'string')
      : undefined,
    baseModel:
      typeof config.base_model_name_or_path === 'string'
        ? config.base_model_name_or_path
        : undefined,
  };
}

/**
 * Checks a safetensors file from its first bytes (the 8-byte length + header) and its total size:
 * a sane header length, a JSON object of tensors with a known dtype, a 2-D shape and data offsets
 * inside the file matching the shape. Returns the problem as a sentence, or the tensors.
 */
export function checkSafetensorsHeader(
  head: Buffer,
  fileSize: number,
): AdapterTensor[] | { problem: string } {
  const fail = (why: string) => ({
    problem: `adapter_model.safetensors is not a valid safetensors LoRA adapter: ${why}`,
  });
  if (fileSize < 8 || head.length < 8) return fail('shorter than 8 bytes');
  const n = head.readBigUInt64LE(0);
  if (n < 2n || n > BigInt(Math.min(MAX_HEADER_BYTES, fileSize - 8))) {
    return fail(`header length ${n} does not fit a ${fileSize}-byte file`);
  }
  const length = Number(n);
  if (head.length < 8 + length) return fail('the header is cut short');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(head.subarray(8, 8 + length).toString('utf8'));
  } catch (e) {
    return fail(`the header is not JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) {
    return fail('the header is not a JSON object');
  }
  const dataSize = fileSize - 8 - length;
  const tensors: AdapterTensor[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const t = value as {
      dtype?: unknown;
      shape?: unknown;
      data_offsets?: unknown;
    };
    const bytes = DTYPE_BYTES[t?.dtype as string];
    if (!bytes) {
      return fail(
        `tensor ${name} has dtype ${JSON.stringify(
          t?.dtype,
        )} (F32, F16 or BF16)`,
      );
    }
    const shape = t.shape;
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every(isInt)) {
      return fail(`tensor ${name} is not 2-D (shape ${JSON.stringify(shape)})`);
    }
    const offsets = t.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every(isInt) ||
      offsets[0] > offsets[1] ||
      offsets[1] > dataSize
    ) {
      return fail(
        `tensor ${name} has data offsets ${JSON.stringify(
          offsets,
        )} outside the ${dataSize} data bytes`,
      );
    }
    if (offsets[1] - offsets[0] !== shape[0] * shape[1] * bytes) {
      return fail(
        `tensor ${name}: ${
          offsets[1] - offsets[0]
        } bytes for shape [${shape}] ${t.dtype}`,
      );
    }
    if (!/lora_[AaBb]/.test(name)) {
      return fail(`tensor ${name} is not a LoRA tensor (lora_A / lora_B)`);
    }
    tensors.push({
      name,
      dtype: t.dtype as string,
      shape: [shape[0], shape[1]],
    });
  }
  if (!tensors.length) return fail('it holds no tensors');
  return tensors;
}

/** The dimensions of a llama base model, from Ollama's /api/show `model_info`. */
export interface BaseDims {
  architecture: string;
  blockCount?: number;
  embedding?: number;
  heads?: number;
  kvHeads?: number;
  headDim?: number;
  feedForward?: number;
}

/** Reads {@link BaseDims} from `model_info` (`<arch>.block_count`, `<arch>.embedding_length`, …). */
export function baseDimsOf(modelInfo: Record<string, unknown>): BaseDims {
  const architecture = String(modelInfo['general.architecture'] ?? '');
  const num = (key: string) => {
    const v = modelInfo[`${architecture}.${key}`];
    return typeof v === 'number' ? v : undefined;
  };
  const embedding = num('embedding_length');
  const heads = num('attention.head_count');
  return {
    architecture,
    blockCount: num('block_count'),
    embedding,
    heads,
    kvHeads: num('attention.head_count_kv') ?? heads,
    headDim:
      num('attention.key_length') ??
      (embedding && heads ? embedding / heads : undefined),
    feedForward: num('feed_forward_length'),
  };
}

/**
 * Compares the LoRA tensors with the base's dimensions (llama module names): the layer exists,
 * lora_A is [r, in], lora_B is [out, r] of that module. Returns the first mismatch as a sentence.
 */
export function checkAgainstBase(
  tensors: AdapterTensor[],
  base: BaseDims,
): string | undefined {
  if (!OLLAMA_ADAPTER_ARCHITECTURES.includes(base.architecture)) {
    return `Ollama converts LoRA adapters for ${OLLAMA_ADAPTER_ARCHITECTURES.join(
      ' and ',
    )} base models, not ${base.architecture || 'this base model'}`;
  }
  if (base.architecture !== 'llama') return undefined;
  const { embedding, heads, kvHeads, headDim, feedForward } = base;
  if (!embedding || !heads || !kvHeads || !headDim || !feedForward) {
    return undefined;
  }
  const q = heads * headDim;
  const kv = kvHeads * headDim;
  const io: Record<string, [number, number]> = {
    q_proj: [embedding, q],
    k_proj: [embedding, kv],
    v_proj: [embedding, kv],
    o_proj: [q, embedding],
    gate_proj: [embedding, feedForward],
    up_proj: [embedding, feedForward],
    down_proj: [feedForward, embedding],
  };
  for (const t of tensors) {
    const m = /layers\.(\d+)\.(?:self_attn|mlp)\.([a-z_]+)\.lora_([AaBb])/.exec(
      t.name,
    );
    if (!m) continue;
    const layer = Number(m[1]);
    if (base.blockCount !== undefined && layer >= base.blockCount) {
      return `tensor ${t.name}: the base model has ${base.blockCount} layers`;
    }
    const dims = io[m[2]];
    if (!dims) continue;
    const [inF, outF] = dims;
    const isA = m[3].toLowerCase() === 'a';
    // PEFT: lora_A [r, in], lora_B [out, r] (Ollama also accepts them transposed)
    const ok = isA
      ? t.shape[1] === inF || t.shape[0] === inF
      : t.shape[0] === outF || t.shape[1] === outF;
    if (!ok) {
      return `tensor ${t.name} has shape [${t.shape}], the base model's ${m[2]} is ${inF} → ${outF}`;
    }
  }
  return undefined;
}
