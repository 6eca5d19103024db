import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/calendar.ts';
import { accrueLateFee, daysOverdue, type LateFeePolicy, lateFeeAccrualStart, lateFeeDaysToAccrue, lateFeeLimit } from '../../shared/domain/late-fees.ts';
import { DEFAULT_POLICY } from '../../shared/domain/policy.ts';

const defaults: LateFeePolicy = {
  lateFeeDailyRate: DEFAULT_POLICY.lateFeeDailyRate,
  lateFeeCap: DEFAULT_POLICY.lateFeeCap,
  aprCap: DEFAULT_POLICY.aprCap,
};

/** Accrues from nothing over `days` days in one go. */
const accrueFresh = (base: number, days: number, policy: LateFeePolicy = defaults): number =>
  accrueLateFee({ base, installmentAmount: base, accrued: 0, days, daysOverdue: days }, policy);

/** n / 100 as a decimal string, e.g. 7 → "0.07". */
const hundredths = (n: number): string => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
/** Policies with daily rates 0–0.5% and caps in whole percent, the percentages kept for checking. */
const lateFeeTerms = fc.record({
  dailyBasisPoints: fc.integer({ min: 0, max: 50 }),
  sharePercent: fc.integer({ min: 0, max: 50 }),
  aprPercent: fc.integer({ min: 0, max: 60 }),
});
const toPolicy = (t: { dailyBasisPoints: number; sharePercent: number; aprPercent: number }): LateFeePolicy => ({
  lateFeeDailyRate: `0.${String(t.dailyBasisPoints).padStart(4, '0')}`,
  lateFeeCap: hundredths(t.sharePercent),
  aprCap: hundredths(t.aprPercent),
});
const lateFeePolicy: fc.Arbitrary<LateFeePolicy> = lateFeeTerms.map(toPolicy);

describe('Function: accrueLateFee', () => {
  it('accrues 0.05% a day on the unpaid amount, rounded half-up per day', () => {
    // Act & Assess: 108.80 × 0.0005 = 0.0544 → 0.05 a day
    expect(accrueFresh(10_880, 1)).toBe(5);
    expect(accrueFresh(10_880, 10)).toBe(50);
    expect(accrueFresh(10_880, 60)).toBe(300);
    // 110.00 × 0.0005 = 0.055 → 0.06 a day; 109.00 → 0.0545 → 0.05
    expect(accrueFresh(11_000, 2)).toBe(12);
    expect(accrueFresh(10_900, 2)).toBe(10);
  });

  it('stops at 10% of the installment', () => {
    // Act & Assess: 365 days would be 18.25, the cap is 108.80 × 10% = 10.88
    expect(accrueFresh(10_880, 365)).toBe(1_088);
    expect(accrueFresh(10_880, 1_000)).toBe(1_088);
  });

  it('measures the share cap on the whole installment, not on what is left of it', () => {
    // Prepare: 60.00 of a 100.00 installment unpaid
    const input = { base: 6_000, installmentAmount: 10_000, accrued: 0, days: 400, daysOverdue: 400 };

    // Act & Assess: 400 × 3 = 12.00, capped at 10% of 100.00
    expect(accrueLateFee(input, defaults)).toBe(1_000);
  });

  it('keeps the annualised cost at or below the APR cap, rounding the cap down', () => {
    // Prepare: 0.1% a day is 36.5% a year, above a 24% cap
    const policy: LateFeePolicy = { lateFeeDailyRate: '0.001', lateFeeCap: '0.5', aprCap: '0.24' };

    // Act & Assess: 100.00 × 0.24 × 1/365 = 0.06575 → 0.06; × 10 days = 0.6575 → 0.65
    expect(accrueFresh(10_000, 1, policy)).toBe(6);
    expect(accrueFresh(10_000, 10, policy)).toBe(65);
  });

  it('adds only the new days to what has already accrued', () => {
    // Act & Assess
    expect(accrueLateFee({ base: 10_880, installmentAmount: 10_880, accrued: 50, days: 2, daysOverdue: 12 }, defaults)).toBe(60);
    expect(accrueLateFee({ base: 10_880, installmentAmount: 10_880, accrued: 50, days: 0, daysOverdue: 12 }, defaults)).toBe(50);
  });

  it('never takes back a fee already charged when a partial payment lowers the limit', () => {
    // Prepare: 30.00 accrued, then all but 1.00 paid: the APR limit falls to 1.00 × 0.24 × 40/365
    const input = { base: 100, installmentAmount: 100_000, accrued: 3_000, days: 1, daysOverdue: 40 };

    // Act & Assess
    expect(accrueLateFee(input, defaults)).toBe(3_000);
  });

  it('refuses negative or fractional inputs and more new days than days overdue', () => {
    // Act & Assess
    expect(() => accrueLateFee({ base: -1, installmentAmount: 1, accrued: 0, days: 1, daysOverdue: 1 }, defaults)).toThrow(
      expect.objectContaining({ code: 'LATE_FEE.INVALID_INPUT' }),
    );
    expect(() => accrueLateFee({ base: 1, installmentAmount: 1, accrued: 0, days: 1.5, daysOverdue: 2 }, defaults)).toThrow(
      expect.objectContaining({ code: 'LATE_FEE.INVALID_INPUT' }),
    );
    expect(() => accrueLateFee({ base: 1, installmentAmount: 1, accrued: 0, days: 3, daysOverdue: 2 }, defaults)).toThrow(
      expect.objectContaining({ code: 'LATE_FEE.INVALID_INPUT' }),
    );
  });

  it('never exceeds either cap, however the days are swept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), lateFeeTerms, fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 20 }), (base, terms, sweeps) => {
        // Prepare
        const policy = toPolicy(terms);
        let accrued = 0;
        let overdue = 0;
        for (const days of sweeps) {
          overdue += days;

          // Act
          accrued = accrueLateFee({ base, installmentAmount: base, accrued, days, daysOverdue: overdue }, policy);

          // Assess
          const share = (BigInt(base) * BigInt(terms.sharePercent)) / 100n;
          const apr = (BigInt(base) * BigInt(terms.aprPercent) * BigInt(overdue)) / (100n * 365n);
          expect(BigInt(accrued) <= share && BigInt(accrued) <= apr).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is monotone in the days overdue', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), lateFeePolicy, fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 100 }), (base, policy, days, more) => {
        // Act & Assess
        expect(accrueFresh(base, days + more, policy)).toBeGreaterThanOrEqual(accrueFresh(base, days, policy));
      }),
      { numRuns: 500 },
    );
  });

  it('charges the same whether the days are swept one at a time or caught up at once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), lateFeePolicy, fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 12 }), (base, policy, sweeps) => {
        // Prepare
        const total = sweeps.reduce((t, d) => t + d, 0);
        let accrued = 0;
        let overdue = 0;

        // Act
        for (const days of sweeps) {
          overdue += days;
          accrued = accrueLateFee({ base, installmentAmount: base, accrued, days, daysOverdue: overdue }, policy);
        }

        // Assess
        expect(accrued).toBe(accrueFresh(base, total, policy));
      }),
      { numRuns: 500 },
    );
  });
});

describe('Function: lateFeeLimit', () => {
  it('is the lower of the share cap and the APR cap', () => {
    // Act & Assess: share 10.88; APR 108.80 × 0.24 × 30/365 = 2.146 → 2.14
    expect(lateFeeLimit({ base: 10_880, installmentAmount: 10_880, daysOverdue: 30 }, defaults)).toBe(214);
    expect(lateFeeLimit({ base: 10_880, installmentAmount: 10_880, daysOverdue: 365 }, defaults)).toBe(1_088);
  });
});

describe('Function: daysOverdue', () => {
  it('counts from the first day after the grace period', () => {
    // Act & Assess: due 10 Mar, 3 days' grace, overdue from 14 Mar
    expect(lateFeeAccrualStart('2026-03-10', 3)).toBe('2026-03-13');
    expect(daysOverdue('2026-03-10', 3, '2026-03-13')).toBe(0);
    expect(daysOverdue('2026-03-10', 3, '2026-03-14')).toBe(1);
    expect(daysOverdue('2026-03-10', 3, '2026-04-13')).toBe(31);
    expect(daysOverdue('2026-03-10', 3, '2026-03-01')).toBe(0);
  });
});

describe('Function: lateFeeDaysToAccrue', () => {
  it('accrues nothing twice on the same day and catches up missed days', () => {
    // Act & Assess
    expect(lateFeeDaysToAccrue('2026-03-13', '2026-03-14')).toBe(1);
    expect(lateFeeDaysToAccrue('2026-03-14', '2026-03-14')).toBe(0);
    expect(lateFeeDaysToAccrue('2026-03-14', '2026-03-17')).toBe(3);
    expect(lateFeeDaysToAccrue('2026-03-14', '2026-03-12')).toBe(0);
  });

  it('charges every overdue day exactly once across any sequence of sweeps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 90 }), { minLength: 1, maxLength: 30 }), (offsets) => {
        // Prepare: sweeps on arbitrary days, some repeated, some out of order (a late redelivery)
        const start = lateFeeAccrualStart('2024-02-20', 3);
        let through = start;
        let charged = 0;

        // Act
        for (const offset of offsets) {
          const today = addDays(start, offset);
          const days = lateFeeDaysToAccrue(through, today);
          charged += days;
          if (days > 0) through = today;
        }

        // Assess
        expect(charged).toBe(Math.max(...offsets));
      }),
    );
  });
});
