import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planApr, scheduleApr } from '../../shared/domain/apr.ts';
import { buildSchedule, type FeeTerms } from '../../shared/domain/schedule.ts';

/** Independent float oracle for the test only: Newton's method on the monthly IRR. */
function floatApr(principal: number, amounts: readonly number[]): number {
  let r = 0.01;
  for (let step = 0; step < 200; step += 1) {
    let f = -principal;
    let df = 0;
    amounts.forEach((a, k) => {
      f += a / (1 + r) ** (k + 1);
      df -= ((k + 1) * a) / (1 + r) ** (k + 2);
    });
    r -= f / df;
  }
  return r * 12;
}

describe('Function: planApr', () => {
  it('discloses a 0.088 flat fee over 12 months as 15.86% a year', () => {
    // Prepare: 1,200.00 at 8.8% flat → 12 × 1,088.00 (IRR 1.3220% a month, checked with exact fractions)
    const schedule = buildSchedule({ principal: 120_000, periods: 12, fee: { model: 'flat', rate: '0.088' }, purchaseDate: '2026-01-15' });

    // Act
    const apr = scheduleApr(120_000, schedule);

    // Assess
    expect(apr).toBe('0.1586');
  });

  it('counts the rounding of a small flat plan: 1,000.00 at 0.088 over 12 is 15.87%', () => {
    // Prepare: installments 90.68 ×4 then 90.66 ×8 front-load the remainders a little
    const schedule = buildSchedule({ principal: 100_000, periods: 12, fee: { model: 'flat', rate: '0.088' }, purchaseDate: '2026-01-15' });

    // Act
    const apr = scheduleApr(100_000, schedule);

    // Assess
    expect(schedule.map((s) => s.principal + s.fee)).toEqual([...Array<number>(4).fill(9_068), ...Array<number>(8).fill(9_066)]);
    expect(apr).toBe('0.1587');
  });

  it('shows an interest-free plan at 0.0000', () => {
    // Act & Assess
    expect(planApr(120_000, Array<number>(12).fill(10_000))).toBe('0.0000');
    expect(planApr(100, [34, 33, 33])).toBe('0.0000');
  });

  it('gives an annuity its nominal rate back', () => {
    // Prepare
    const annuity = (principal: number, periods: number, annualRate: string) =>
      buildSchedule({ principal, periods, fee: { model: 'annuity', annualRate }, purchaseDate: '2026-01-15' });

    // Act & Assess: exact IRRs 0.04900000014 and 0.12000114 a year
    expect(scheduleApr(100_000_000, annuity(100_000_000, 60, '0.049'))).toBe('0.0490');
    expect(scheduleApr(1_000_000, annuity(1_000_000, 12, '0.12'))).toBe('0.1200');
  });

  it('gives a negative rate when less comes back than was lent', () => {
    // Act & Assess: 1,200.00 against 12 × 90.00 → −19.018%
    expect(planApr(120_000, Array<number>(12).fill(9_000))).toBe('-0.1902');
  });

  it('refuses a plan with no principal, no installments or nothing repaid', () => {
    // Act & Assess
    expect(() => planApr(0, [1])).toThrow(expect.objectContaining({ code: 'APR.INVALID_PRINCIPAL' }));
    expect(() => planApr(100, [])).toThrow(expect.objectContaining({ code: 'APR.INVALID_INSTALLMENTS' }));
    expect(() => planApr(100, [1.5])).toThrow(expect.objectContaining({ code: 'APR.INVALID_INSTALLMENTS' }));
    expect(() => planApr(100, [0, 0])).toThrow(expect.objectContaining({ code: 'APR.NOTHING_REPAID' }));
  });

  it('agrees with an independent float solution to within half of the last digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 10 ** 9 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.constantFrom<FeeTerms['model']>('flat', 'annuity', 'equal_principal'),
        (principal, periods, basisPoints, model) => {
          // Prepare
          const rate = `0.${String(basisPoints).padStart(4, '0')}`;
          const fee: FeeTerms = model === 'flat' ? { model, rate } : { model, annualRate: rate };
          const amounts = buildSchedule({ principal, periods, fee, purchaseDate: '2026-01-15' }).map((s) => s.principal + s.fee);

          // Act
          const apr = Number(planApr(principal, amounts));

          // Assess
          expect(Math.abs(apr - floatApr(principal, amounts))).toBeLessThanOrEqual(0.00005 + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never falls when an installment grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 10 ** 8 }),
        fc.array(fc.integer({ min: 0, max: 10 ** 7 }), { minLength: 1, maxLength: 60 }),
        fc.nat(),
        fc.integer({ min: 1, max: 10 ** 6 }),
        (principal, amounts, at, extra) => {
          // Keep the rate of return finite: at least half the principal comes back.
          fc.pre(amounts.reduce((t, a) => t + a, 0) * 2 >= principal);
          // Prepare
          const i = at % amounts.length;
          const more = amounts.map((a, k) => (k === i ? a + extra : a));

          // Act & Assess
          expect(Number(planApr(principal, more))).toBeGreaterThanOrEqual(Number(planApr(principal, amounts)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
