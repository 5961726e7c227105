import {
  parseRagCollectionResourceRef,
  ragCollectionResourceRef,
  ragNewCollectionResourceRef,
} from './permissions';

describe('rag-collection resource refs', () => {
  it('name an existing collection or one to be created by its owner', () => {
    expect(ragCollectionResourceRef('payments-runbooks')).toBe(
      'rag-collection:payments-runbooks',
    );
    expect(ragNewCollectionResourceRef('group:default/team-payments')).toBe(
      'rag-collection:new:group:default/team-payments',
    );
    expect(
      parseRagCollectionResourceRef(
        ragCollectionResourceRef('payments-runbooks'),
      ),
    ).toEqual({ name: 'payments-runbooks' });
    expect(
      parseRagCollectionResourceRef(
        ragNewCollectionResourceRef('group:default/team-payments'),
      ),
    ).toEqual({ newOwnerRef: 'group:default/team-payments' });
    // a collection may be called "new": only "new:" starts a collection to be
    expect(parseRagCollectionResourceRef('rag-collection:new')).toEqual({
      name: 'new',
    });
  });

  it('reject refs of other types and malformed ones', () => {
    expect(
      parseRagCollectionResourceRef('clusters-object:a/b'),
    ).toBeUndefined();
    expect(parseRagCollectionResourceRef('rag-collection:')).toBeUndefined();
    expect(
      parseRagCollectionResourceRef('rag-collection:new:'),
    ).toBeUndefined();
    expect(parseRagCollectionResourceRef('rag-collection:a:b')).toBeUndefined();
  });
});
