import { scopeLogQL, isMetricQuery } from './scope';

const alice = { type: 'namespaces' as const, namespaces: ['payments-*'] };

describe('scopeLogQL', () => {
  it('adds the namespace matcher to every stream selector', () => {
    expect(scopeLogQL('{app="payments-api"} |= "error"', alice)).toBe(
      '{app="payments-api", namespace=~"payments-.*"} |= "error"',
    );
    expect(
      scopeLogQL(
        'sum by (level) (count_over_time({app="a"} | logfmt [1m])) / sum(count_over_time({app="b"}[1m]))',
        alice,
      ),
    ).toBe(
      'sum by (level) (count_over_time({app="a", namespace=~"payments-.*"} | logfmt [1m])) / sum(count_over_time({app="b", namespace=~"payments-.*"}[1m]))',
    );
  });

  it('cannot be escaped with regex or negative namespace matchers', () => {
    expect(scopeLogQL('{namespace=~".+"}', alice)).toBe(
      '{namespace=~".+", namespace=~"payments-.*"}',
    );
    expect(scopeLogQL('{namespace!="payments-dev"}', alice)).toBe(
      '{namespace!="payments-dev", namespace=~"payments-.*"}',
    );
  });

  it('refuses an explicit foreign namespace and malformed LogQL', () => {
    expect(() => scopeLogQL('{namespace="risk-dev"}', alice)).toThrow(
      'You may not read logs of namespace risk-dev (your scope: payments-*)',
    );
    expect(() => scopeLogQL('{app="x"', alice)).toThrow(
      'The query does not parse',
    );
    expect(scopeLogQL('{app="x"}', { type: 'all' })).toBe('{app="x"}');
  });

  it('tells metric queries from log queries', () => {
    expect(isMetricQuery('rate({app="x"}[1m])')).toBe(true);
    expect(
      isMetricQuery('sum by (level) (count_over_time({app="x"}[1m]))'),
    ).toBe(true);
    expect(isMetricQuery('{app="x"} |= "y"')).toBe(false);
  });
});
