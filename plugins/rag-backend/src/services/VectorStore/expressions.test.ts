import {
  documentFilter,
  milvusCollectionName,
  quote,
  searchFilter,
} from './expressions';

describe('Milvus expressions', () => {
  it('quotes strings with backslashes and double quotes escaped', () => {
    expect(quote('group:default/team-a')).toBe('"group:default/team-a"');
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => quote('a\nb')).toThrow(/control characters/);
  });

  it('builds the search filter from checked names, tenant (partition key) first', () => {
    expect(
      searchFilter({
        collections: ['payments-runbooks', 'shared-docs', 'payments-runbooks'],
        tenants: ['group:default/team-payments'],
      }),
    ).toBe(
      'tenant in ["group:default/team-payments"] and collection in ["payments-runbooks", "shared-docs"]',
    );
  });

  it('refuses collection names that could widen the filter', () => {
    for (const crafted of [
      'a" or collection != "',
      'risk-docs"] or tenant != ["x',
      'UPPER',
      'x',
      '',
    ]) {
      expect(() =>
        searchFilter({ collections: [crafted], tenants: ['group:default/a'] }),
      ).toThrow(/is not a collection name/);
    }
  });

  it('escapes a crafted tenant ref so it stays one string literal', () => {
    const filter = searchFilter({
      collections: ['docs'],
      tenants: ['group:default/a" or tenant != "b'],
    });
    expect(filter).toBe(
      'tenant in ["group:default/a\\" or tenant != \\"b"] and collection in ["docs"]',
    );
  });

  it('never turns an empty list into no filter', () => {
    expect(() =>
      searchFilter({ collections: [], tenants: ['group:default/a'] }),
    ).toThrow(/at least one collection/);
    expect(() => searchFilter({ collections: ['docs'], tenants: [] })).toThrow(
      /at least one tenant/,
    );
  });

  it('builds document filters', () => {
    expect(documentFilter({ collection: 'docs' })).toBe('collection == "docs"');
    expect(
      documentFilter({
        collection: 'docs',
        documentId: '0123456789abcdef0123456789abcdef',
        exceptGeneration: 3,
      }),
    ).toBe(
      'collection == "docs" and document_id == "0123456789abcdef0123456789abcdef" and generation != 3',
    );
    expect(() =>
      documentFilter({ collection: 'docs', documentId: 'x" or "1"=="1' }),
    ).toThrow(/not a document id/);
    expect(() =>
      documentFilter({ collection: 'docs', exceptGeneration: 1.5 }),
    ).toThrow(/not a generation/);
  });

  it('names the Milvus collection after the prefix, model and dimension', () => {
    expect(milvusCollectionName('kubemate_rag', 'all-minilm-l6-v2', 384)).toBe(
      'kubemate_rag_all_minilm_l6_v2_384',
    );
    expect(
      milvusCollectionName('kubemate_rag', 'nomic-embed-text:v1.5', 768),
    ).toBe('kubemate_rag_nomic_embed_text_v1_5_768');
    expect(() => milvusCollectionName('p', 'm', 0)).toThrow(/dimension/);
  });
});
