import { parseCpu, parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it('parses cpu and memory quantities', () => {
    expect(parseCpu('100m')).toBe(100);
    expect(parseCpu('2')).toBe(2000);
    expect(parseQuantity('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(undefined)).toBe(0);
    expect(parseQuantity('garbage!')).toBe(0);
  });
});
