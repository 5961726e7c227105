import {
  answerKey,
  answerRedisKey,
  AnswerKeyInput,
  embeddingRedisKey,
  normalizeQuestion,
} from './keys';

const base: AnswerKeyInput = {
  question: 'How do I roll back payments-api?',
  collections: [
    { name: 'payments-runbooks', version: 3 },
    { name: 'platform-docs', version: 7 },
  ],
  embeddingModel: 'all-minilm-l6-v2',
  generationModel: 'smollm2-135m',
  topK: 5,
  minScore: 0.3,
  maxAnswerTokens: 256,
};

describe('cache keys', () => {
  it('normalises case, width and whitespace of a question', () => {
    expect(normalizeQuestion('  How do I\n\troll   BACK？ ')).toBe(
      'how do i roll back?',
    );
  });

  it('is the same for the same question however it is spaced or cased, and collections in any order', () => {
    const key = answerKey(base);
    expect(key).toMatch(/^[a-f0-9]{64}$/);
    expect(
      answerKey({
        ...base,
        question: 'how do i   roll back PAYMENTS-API?',
        collections: [...base.collections].reverse(),
      }),
    ).toBe(key);
  });

  it('changes when a collection version is bumped (its content changed)', () => {
    const bumped = answerKey({
      ...base,
      collections: [
        { name: 'payments-runbooks', version: 4 },
        { name: 'platform-docs', version: 7 },
      ],
    });
    expect(bumped).not.toBe(answerKey(base));
  });

  it('changes with the collections searched, the models and the settings', () => {
    const key = answerKey(base);
    const variants: Partial<AnswerKeyInput>[] = [
      { collections: [base.collections[0]] },
      { question: 'How do I scale payments-api?' },
      { embeddingModel: 'other-embedder' },
      { generationModel: 'gemma3-270m' },
      { topK: 6 },
      { minScore: 0.4 },
      { maxAnswerTokens: 512 },
    ];
    const keys = variants.map(v => answerKey({ ...base, ...v }));
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
  });

  it('prefixes the Redis keys', () => {
    expect(answerRedisKey('abc')).toBe('kubemate:rag:answer:abc');
    expect(embeddingRedisKey('all-minilm-l6-v2', 'hello')).toBe(
      'kubemate:rag:emb:all-minilm-l6-v2:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
  });
});
