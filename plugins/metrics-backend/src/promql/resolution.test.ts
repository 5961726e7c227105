import { rangeParameters } from './resolution';

describe('rangeParameters', () => {
  it('reads raw data up to 2 days, 5-minute blocks up to 30 days, 1-hour blocks beyond', () => {
    const day = 86_400;
    expect(rangeParameters(0, 3600)).toEqual({
      step: 15,
      maxSourceResolution: '0s',
    });
    expect(rangeParameters(0, 2 * day)).toEqual({
      step: 705,
      maxSourceResolution: '0s',
    });
    expect(rangeParameters(0, 7 * day)).toEqual({
      step: 2430,
      maxSourceResolution: '5m',
    });
    expect(rangeParameters(0, 90 * day)).toEqual({
      step: 31110,
      maxSourceResolution: '1h',
    });
  });

  it('never steps finer than the resolution it reads', () => {
    expect(rangeParameters(0, 7 * 86_400, 60)).toEqual({
      step: 300,
      maxSourceResolution: '5m',
    });
    expect(rangeParameters(0, 600, 1)).toEqual({
      step: 15,
      maxSourceResolution: '0s',
    });
    expect(rangeParameters(0, 600, 120)).toEqual({
      step: 120,
      maxSourceResolution: '0s',
    });
  });
});
