import { buildHttpRoute, parentRefsFor, validateTrafficRequest } from './route';
import { unifiedDiff } from './unifiedDiff';

describe('validateTrafficRequest', () => {
  const backends = [
    { service: 'web-v1', weight: 50 },
    { service: 'web-v2', weight: 30 },
    { service: 'web-v3', weight: 20 },
  ];

  it('accepts integer weights summing to 100 and rules to backends', () => {
    expect(() =>
      validateTrafficRequest({
        backends,
        rules: [
          {
            match: [{ header: 'x-canary', value: 'yes', type: 'Exact' }],
            service: 'web-v3',
          },
        ],
      }),
    ).not.toThrow();
  });

  it('names the sum, bad weights, duplicates and foreign rule services', () => {
    expect(() =>
      validateTrafficRequest({
        backends: [
          { service: 'a', weight: 50 },
          { service: 'b', weight: 30 },
          { service: 'c', weight: 10 },
        ],
      }),
    ).toThrow('backends: weights must sum to 100 (got 90)');
    expect(() =>
      validateTrafficRequest({ backends: [{ service: 'a', weight: 99.5 }] }),
    ).toThrow('backends[0].weight');
    expect(() =>
      validateTrafficRequest({
        backends: [
          { service: 'a', weight: 50 },
          { service: 'a', weight: 50 },
        ],
      }),
    ).toThrow('backends[1].service: a is listed twice');
    expect(() =>
      validateTrafficRequest({
        backends,
        rules: [
          {
            match: [{ header: 'x', value: 'y', type: 'Exact' }],
            service: 'elsewhere',
          },
        ],
      }),
    ).toThrow('rules[0].service: elsewhere is not one of the backends');
    expect(() => validateTrafficRequest({ backends: [] })).toThrow('backends:');
  });
});

describe('buildHttpRoute', () => {
  it('puts header rules first and the weighted split last, with the Service ports', () => {
    const route = buildHttpRoute({
      namespace: 'shop',
      name: 'web',
      parentRefs: parentRefsFor(undefined, 'web', 80),
      backends: [
        { service: 'web-v1', weight: 80 },
        { service: 'web-v2', weight: 20 },
      ],
      rules: [
        {
          match: [
            { header: 'x-canary', value: 'yes', type: 'Exact' },
            {
              header: 'user-agent',
              value: '.*Firefox.*',
              type: 'RegularExpression',
            },
          ],
          service: 'web-v2',
        },
      ],
      ports: { 'web-v1': 8080, 'web-v2': 8080 },
    });
    expect(route).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: 'web',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/managed-by': 'kubemate-portal' },
      },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }],
        rules: [
          {
            matches: [
              {
                headers: [
                  { type: 'Exact', name: 'x-canary', value: 'yes' },
                  {
                    type: 'RegularExpression',
                    name: 'user-agent',
                    value: '.*Firefox.*',
                  },
                ],
              },
            ],
            backendRefs: [{ name: 'web-v2', port: 8080 }],
          },
          {
            backendRefs: [
              { name: 'web-v1', port: 8080, weight: 80 },
              { name: 'web-v2', port: 8080, weight: 20 },
            ],
          },
        ],
      },
    });
  });

  it('keeps the live parentRefs', () => {
    const gateway = [{ name: 'mesh-gw', namespace: 'gateways' }];
    expect(parentRefsFor({ spec: { parentRefs: gateway } }, 'web')).toBe(
      gateway,
    );
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts and a unified diff otherwise', () => {
    expect(unifiedDiff('a', 'b', 'x\n', 'x\n')).toBe('');
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join(
      '\n',
    );
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i', 'j', 'k'].join(
      '\n',
    );
    expect(unifiedDiff('live', 'applied', before, after)).toBe(
      [
        '--- live',
        '+++ applied',
        '@@ -2,9 +2,10 @@',
        ' b',
        ' c',
        ' d',
        '-e',
        '+E',
        ' f',
        ' g',
        ' h',
        ' i',
        ' j',
        '+k',
        '',
      ].join('\n'),
    );
  });

  it('splits changes more than 6 lines apart into hunks', () => {
    const a = 'abcdefghijklmnop'.split('');
    const b = [...a];
    b[1] = 'B';
    b[14] = 'O';
    expect(unifiedDiff('x', 'y', a.join('\n'), b.join('\n'))).toBe(
      [
        '--- x',
        '+++ y',
        '@@ -1,5 +1,5 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        ' d',
        ' e',
        '@@ -12,5 +12,5 @@',
        ' l',
        ' m',
        ' n',
        '-o',
        '+O',
        ' p',
        '',
      ].join('\n'),
    );
  });

  it('diffs a creation against nothing', () => {
    expect(unifiedDiff('live', 'new', '', 'a\nb\n')).toBe(
      '--- live\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n',
    );
  });
});
