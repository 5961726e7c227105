import { checkBelongs, checkNamespace, parseManifest } from './ownership';

const scope = {
  entityRef: 'component:default/payments-api',
  selector: {
    labelSelector: 'app=payments',
    labels: { app: 'payments' },
    namespace: 'payments-dev',
  },
};

describe('ownership checks', () => {
  it('accepts only the annotated namespace', () => {
    expect(() => checkNamespace(scope, 'payments-dev')).not.toThrow();
    expect(() => checkNamespace(scope, 'risk-dev')).toThrow(
      'Namespace risk-dev does not belong to component:default/payments-api (annotated namespace payments-dev)',
    );
    expect(() =>
      checkNamespace(
        { ...scope, selector: { ...scope.selector, namespace: undefined } },
        'risk-dev',
      ),
    ).not.toThrow();
  });

  it("accepts only objects carrying the entity's labels", () => {
    expect(() =>
      checkBelongs(
        scope,
        { metadata: { labels: { app: 'payments', x: 'y' } } },
        'Pod a',
      ),
    ).not.toThrow();
    expect(() => checkBelongs(scope, { metadata: {} }, 'Pod a')).toThrow(
      'Pod a does not belong to component:default/payments-api (labels do not match app=payments)',
    );
  });
});

describe('parseManifest', () => {
  it('splits a multi-document manifest into its objects', () => {
    const { objects, error } = parseManifest(
      'kind: A\nmetadata:\n  name: a\n---\nkind: B\nmetadata:\n  name: b\n',
    );
    expect(error).toBeUndefined();
    expect(objects.map(o => o.kind)).toEqual(['A', 'B']);
  });

  it('says why a manifest is not YAML', () => {
    const { objects, error } = parseManifest('a: [b');
    expect(objects).toEqual([]);
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(/^Invalid manifest: /);
  });

  // fuzz finding (hand-picked case): nested aliases parse to shared references in milliseconds,
  // but serializing them for the cluster ran out of memory ("billion laughs")
  it('refuses a manifest whose aliases expand to billions of values', () => {
    let anchors = '  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 9; i++) {
      anchors += `  l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]\n`;
    }
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata: {name: lol, namespace: payments-dev}\nx:\n${anchors}spec:\n  containers:\n  - name: c\n    image: busybox\n    args: *l8\n`;
    const { objects, error } = parseManifest(manifest);
    expect(objects).toEqual([]);
    expect(error?.name).toBe('InputError');
    expect(error?.message).toBe(
      'Invalid manifest: it expands to more than 100000 values (nested YAML aliases?)',
    );
  });

  it('keeps a manifest with a few aliases', () => {
    const { objects, error } = parseManifest(
      'kind: A\nmetadata:\n  name: a\n  labels: &l {app: a}\n  annotations: *l\n',
    );
    expect(error).toBeUndefined();
    expect(objects[0].metadata?.annotations).toEqual({ app: 'a' });
  });
});
