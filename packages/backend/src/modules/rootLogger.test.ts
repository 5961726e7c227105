import * as winston from 'winston';
import { redactingFormat } from './rootLogger';

describe('redactingFormat', () => {
  it('redacts credentials in the formatted line, after the inner format', () => {
    const format = redactingFormat(winston.format.json());
    const secret = 'p4ssw0rd-0123456789';
    const out = format.transform({
      level: 'error',
      message: `Thanos Query at http://127.0.0.1:9/thanos?token=${secret} answered 502`,
      cause: `Bearer ${secret}`,
    }) as any;
    const line: string = out[Symbol.for('message')];
    expect(line).toContain('token=***');
    expect(line).toContain('Bearer ***');
    expect(line).not.toContain(secret);
  });
});
