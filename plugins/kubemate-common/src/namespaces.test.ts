import {
  assertNamespacePatterns,
  isNamespacePattern,
  namespaceInScope,
  namespaceMatches,
  namespaceRegex,
} from './namespaces';

describe('namespace patterns', () => {
  it('matches exact names and trailing-* prefixes only', () => {
    expect(namespaceMatches('payments-*', 'payments-dev')).toBe(true);
    expect(namespaceMatches('payments-*', 'risk-dev')).toBe(false);
    expect(namespaceMatches('payments-dev', 'payments-dev')).toBe(true);
    expect(namespaceMatches('payments-dev', 'payments-dev2')).toBe(false);
    expect(namespaceInScope(['risk-*', 'ai-platform'], 'ai-platform')).toBe(
      true,
    );
    expect(namespaceInScope([], 'anything')).toBe(false);
  });

  it('accepts names and prefix patterns, rejects anything else', () => {
    for (const ok of ['payments-dev', 'payments-*', 'a', 'ai*']) {
      expect(isNamespacePattern(ok)).toBe(true);
    }
    for (const bad of ['*', 'Payments', 'a*b', 'pay.ments', '', '-a', 'a-']) {
      expect(isNamespacePattern(bad)).toBe(false);
    }
    expect(() => assertNamespacePatterns(['payments-*', 'x*y'])).toThrow(
      'invalid namespace pattern x*y',
    );
  });

  it('turns patterns into an anchored-by-caller regex alternation', () => {
    expect(namespaceRegex(['payments-*', 'ai-platform'])).toBe(
      'payments-.*|ai-platform',
    );
  });
});
