import { buildQuery, parseFields, validateLogQL } from './query';

describe('logs query helpers', () => {
  it('builds LogQL from the builder', () => {
    expect(
      buildQuery('app="payments-api"', {
        level: 'error',
        filterOp: '|=',
        filter: 'timed out',
        parser: 'logfmt',
      }),
    ).toBe('{app="payments-api", level="error"} |= "timed out" | logfmt');
    expect(
      buildQuery('app="x"', {
        level: '',
        filterOp: '!~',
        filter: '',
        parser: '',
      }),
    ).toBe('{app="x"}');
    expect(validateLogQL('{app="x"} |= "a"')).toBeUndefined();
    expect(validateLogQL('{app="x"')).toMatch(/^Syntax error at line 1/);
  });

  it('parses logfmt and JSON lines into fields', () => {
    expect(
      parseFields(
        'level=error msg="risk check timed out" status=504 trace_id=abc',
      ),
    ).toEqual({
      level: 'error',
      msg: 'risk check timed out',
      status: '504',
      trace_id: 'abc',
    });
    expect(parseFields('{"level":"info","score":42}')).toEqual({
      level: 'info',
      score: '42',
    });
  });
});
