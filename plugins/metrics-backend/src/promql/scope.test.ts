import { PromQLSyntaxError, scopeQuery } from './scope';

const payments = {
  type: 'namespaces' as const,
  namespaces: ['payments-*', 'ai-platform'],
};
const M = 'namespace=~"payments-.*|ai-platform"';

describe('scopeQuery', () => {
  it('adds the scope matcher to every vector selector, in every form', () => {
    expect(scopeQuery('up', payments)).toBe(`up{${M}}`);
    expect(scopeQuery('up{}', payments)).toBe(`up{${M}}`);
    expect(scopeQuery('up{job="x",}', payments)).toBe(`up{job="x",${M}}`);
    expect(scopeQuery('{__name__=~"http_.*"}', payments)).toBe(
      `{__name__=~"http_.*",${M}}`,
    );
    expect(
      scopeQuery(
        'sum by (namespace) (rate(http_server_requests_total{code=~"5.."}[5m])) / ignoring(code) sum by (namespace) (rate(http_server_requests_total[5m] offset 1h))',
        payments,
      ),
    ).toBe(
      `sum by (namespace) (rate(http_server_requests_total{code=~"5..",${M}}[5m])) / ignoring(code) sum by (namespace) (rate(http_server_requests_total{${M}}[5m] offset 1h))`,
    );
    expect(scopeQuery('max_over_time(rate(x[1m])[10m:1m])', payments)).toBe(
      `max_over_time(rate(x{${M}}[1m])[10m:1m])`,
    );
  });

  it('keeps the query’s own namespace matchers (ANDed) and allows an explicit namespace in scope', () => {
    expect(scopeQuery('x{namespace=~"risk.*"}', payments)).toBe(
      `x{namespace=~"risk.*",${M}}`,
    );
    expect(scopeQuery('x{namespace="payments-dev"}', payments)).toBe(
      `x{namespace="payments-dev",${M}}`,
    );
  });

  it('refuses an explicit namespace outside the scope with 403', () => {
    expect(() => scopeQuery('x{namespace="risk-dev"}', payments)).toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message:
          'You may not read metrics of namespace risk-dev (your scope: payments-*, ai-platform)',
      }),
    );
    expect(() =>
      scopeQuery('x{namespace="payments-dev"}', {
        type: 'namespaces',
        namespaces: [],
      }),
    ).toThrow(expect.objectContaining({ name: 'NotAllowedError' }));
  });

  it('leaves queries of users who may see everything unchanged', () => {
    expect(scopeQuery('sum(up)', { type: 'all' })).toBe('sum(up)');
  });

  it('flags a query that does not parse (the engine gives the message)', () => {
    expect(() => scopeQuery('sum(rate(x[1m])', payments)).toThrow(
      PromQLSyntaxError,
    );
    expect(() => scopeQuery('  ', payments)).toThrow(PromQLSyntaxError);
  });
});
