import { quotaBarGeometry, quotaSummary } from './quota';
import { flavor } from '../__testUtils__/fixtures';
import { enT } from '../__testUtils__/i18n';

describe('quotaBarGeometry', () => {
  it('spans nominal + borrowing limit and splits usage at nominal into used and borrowed', () => {
    const g = quotaBarGeometry(
      flavor({ nominal: 4, borrowingLimit: 4, used: 6, borrowed: 2 }),
    );
    expect(g).toEqual({
      scale: 8,
      usedPercent: 50,
      borrowedPercent: 25,
      nominalPercent: 50,
      limitPercent: 100,
      within: 4,
      borrowed: 2,
    });
  });

  it('has no limit mark with unlimited borrowing, and then spans the usage', () => {
    const g = quotaBarGeometry(
      flavor({ nominal: 2, borrowingLimit: undefined, used: 8, borrowed: 6 }),
    );
    expect(g.scale).toBe(8);
    expect(g.limitPercent).toBeUndefined();
    expect(g.nominalPercent).toBe(25);
    expect(g.usedPercent).toBe(25);
    expect(g.borrowedPercent).toBe(75);
  });

  it('draws an empty queue without dividing by zero', () => {
    const g = quotaBarGeometry(
      flavor({ nominal: 0, borrowingLimit: 0, used: 0, borrowed: 0 }),
    );
    expect(g.scale).toBe(1);
    expect([g.usedPercent, g.borrowedPercent, g.nominalPercent]).toEqual([
      0, 0, 0,
    ]);
  });
});

describe('quotaSummary', () => {
  it('says what is used, borrowed and allowed', () => {
    expect(
      quotaSummary(
        flavor({
          nominal: 4,
          borrowingLimit: 4,
          used: 6,
          borrowed: 2,
          reserved: 7,
        }),
        enT,
      ),
    ).toBe(
      '6 of 4 nominal GPUs used, 2 borrowed from the cohort, may borrow up to 4, 7 reserved',
    );
    expect(
      quotaSummary(
        flavor({ nominal: 2, borrowingLimit: undefined, used: 1, reserved: 1 }),
        enT,
      ),
    ).toBe('1 of 2 nominal GPUs used, borrowing unlimited');
  });
});
