import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annuityPayment, type FeeTerms, FeeTermsSchema, periodAmounts } from '../../shared/domain/fees.ts';
import { buildSchedule, totalFee } from '../../shared/domain/schedule.ts';

const sumOf = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/** Rates from "0" to "0.3599" as exact decimal strings. */
const rateText = fc.oneof(
  fc.constant('0'),
  fc.integer({ min: 1, max: 3_599 }).map((n) => `0.${String(n).padStart(4, '0')}`),
);
const feeTerms: fc.Arbitrary<FeeTerms> = fc.oneof(
  rateText.map((rate): FeeTerms => ({ model: 'flat', rate })),
  rateText.map((annualRate): FeeTerms => ({ model: 'annuity', annualRate })),
  rateText.map((annualRate): FeeTerms => ({ model: 'equal_principal', annualRate })),
);

describe('Function: annuityPayment', () => {
  it('pays 5,307.27 a month on 1,000,000.00 at 4.9% a year over 360 months', () => {
    // Act & Assess: P·r/(1−(1+r)^−n) = 5,307.2672… (checked with exact fractions)
    expect(annuityPayment(100_000_000, '0.049', 360)).toBe(530_727);
  });

  it('pays ¥88,849 a month on ¥1,000,000 at 12% a year over 12 months (yen have no minor unit)', () => {
    // Act & Assess: 1,000,000 × 0.01 / (1 − 1.01^−12) = 88,848.79
    expect(annuityPayment(1_000_000, '0.12', 12)).toBe(88_849);
  });

  it('repays an interest-free loan in equal parts, the remainder first', () => {
    // Act & Assess
    expect(annuityPayment(1_000, '0', 3)).toBe(334);
  });
});

describe('Function: periodAmounts', () => {
  it('amortises 1,000,000.00 at 4.9% over 360 months so the last period ends the balance at 0', () => {
    // Prepare
    const terms: FeeTerms = { model: 'annuity', annualRate: '0.049' };

    // Act
    const rows = periodAmounts(100_000_000, 360, terms);

    // Assess: figures recomputed with exact fractions, half-up interest on the balance
    expect(rows[0]).toEqual({ principal: 122_394, fee: 408_333 });
    expect(rows.slice(0, 359).every((r) => r.principal + r.fee === 530_727)).toBe(true);
    expect(rows[359]).toEqual({ principal: 528_362, fee: 2_157 });
    expect(sumOf(rows.map((r) => r.principal))).toBe(100_000_000);
    expect(sumOf(rows.map((r) => r.fee))).toBe(91_061_512);
  });

  it('charges 6,861.11 in the first month of 1,000,000.00 at 4.9% over 360 months with equal principal', () => {
    // Prepare
    const terms: FeeTerms = { model: 'equal_principal', annualRate: '0.049' };

    // Act
    const rows = periodAmounts(100_000_000, 360, terms);

    // Assess: 2,777.78 principal + 4,083.33 interest, then interest falls by about 11.34 a month
    expect(rows[0]).toEqual({ principal: 277_778, fee: 408_333 });
    expect(rows[0]!.principal + rows[0]!.fee).toBe(686_111);
    expect(rows[1]).toEqual({ principal: 277_778, fee: 407_199 });
    expect(rows[359]).toEqual({ principal: 277_777, fee: 1_134 });
    expect(sumOf(rows.map((r) => r.fee))).toBe(73_704_121);
  });

  it('amortises ¥1,000,000 at 12% over 12 months in whole yen', () => {
    // Act
    const rows = periodAmounts(1_000_000, 12, { model: 'annuity', annualRate: '0.12' });

    // Assess
    expect(rows[0]).toEqual({ principal: 78_849, fee: 10_000 });
    expect(rows[11]).toEqual({ principal: 87_967, fee: 880 });
    expect(sumOf(rows.map((r) => r.fee))).toBe(66_186);
  });

  it('spreads a flat fee like the principal, remainders to the first periods', () => {
    // Act: ¥100,000 at 8.8% flat over 12 → fee ¥8,800
    const rows = periodAmounts(100_000, 12, { model: 'flat', rate: '0.088' });

    // Assess
    expect(rows.slice(0, 4).every((r) => r.principal === 8_334 && r.fee === 734)).toBe(true);
    expect(rows.slice(4).every((r) => r.principal === 8_333 && r.fee === 733)).toBe(true);
  });

  it('charges no interest and splits the principal equally at an annual rate of 0', () => {
    // Act & Assess
    for (const model of ['annuity', 'equal_principal'] as const) {
      expect(periodAmounts(1_000, 3, { model, annualRate: '0' })).toEqual([
        { principal: 334, fee: 0 },
        { principal: 333, fee: 0 },
        { principal: 333, fee: 0 },
      ]);
    }
  });

  it('keeps every period non-negative when rounding would overshoot a tiny principal', () => {
    // Act: 9 fen over 6 periods rounds the payment up to 2 fen; the balance runs out early
    const rows = periodAmounts(9, 6, { model: 'annuity', annualRate: '0.01' });

    // Assess
    expect(rows.every((r) => r.principal >= 0 && r.fee >= 0)).toBe(true);
    expect(sumOf(rows.map((r) => r.principal))).toBe(9);
  });

  it('refuses a period count outside 1–600 and a negative principal', () => {
    // Act & Assess
    expect(() => periodAmounts(1_000, 0, { model: 'flat', rate: '0' })).toThrow(expect.objectContaining({ code: 'SCHEDULE.INVALID_PERIODS' }));
    expect(() => periodAmounts(1_000, 601, { model: 'flat', rate: '0' })).toThrow(expect.objectContaining({ code: 'SCHEDULE.INVALID_PERIODS' }));
    expect(() => periodAmounts(-1, 3, { model: 'flat', rate: '0' })).toThrow(expect.objectContaining({ code: 'SCHEDULE.INVALID_PRINCIPAL' }));
  });
});

describe('Function: buildSchedule', () => {
  it('sums the installments to principal + total fee for every model, 1–60 periods, principals up to 10^9', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 1, max: 60 }), feeTerms, (principal, periods, fee) => {
        // Act
        const schedule = buildSchedule({ principal, periods, fee, purchaseDate: '2024-01-31' });

        // Assess
        expect(schedule).toHaveLength(periods);
        expect(schedule.every((s) => Number.isSafeInteger(s.principal) && s.principal >= 0 && Number.isSafeInteger(s.fee) && s.fee >= 0)).toBe(true);
        expect(sumOf(schedule.map((s) => s.principal))).toBe(principal);
        expect(sumOf(schedule.map((s) => s.principal + s.fee))).toBe(principal + totalFee(principal, fee, periods));
      }),
      { numRuns: 500 },
    );
  });

  it('charges the rounded annuity payment every period but the last, which settles the rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 10 ** 9 }), fc.integer({ min: 2, max: 60 }), rateText, (principal, periods, annualRate) => {
        // Prepare
        const fee: FeeTerms = { model: 'annuity', annualRate };
        const payment = annuityPayment(principal, annualRate, periods);

        // Act
        const schedule = buildSchedule({ principal, periods, fee, purchaseDate: '2024-03-15' });

        // Assess: each period's rounding (≤ 1 unit) compounds at the monthly rate into the last
        const totals = schedule.map((s) => s.principal + s.fee);
        const drift = Math.ceil(periods * (1 + Number(annualRate) / 12) ** (periods + 1)) + 1;
        if (annualRate !== '0') expect(totals.slice(0, -1).every((t) => t === payment)).toBe(true);
        expect(Math.abs(totals.at(-1)! - payment)).toBeLessThanOrEqual(drift);
      }),
      { numRuns: 300 },
    );
  });

  it('charges equal-principal interest that never rises from one period to the next', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 1, max: 60 }), rateText, (principal, periods, annualRate) => {
        // Act
        const fees = buildSchedule({ principal, periods, fee: { model: 'equal_principal', annualRate }, purchaseDate: '2024-03-15' }).map((s) => s.fee);

        // Assess
        expect(fees.every((f, i) => i === 0 || f <= fees[i - 1]!)).toBe(true);
      }),
    );
  });

  it('keeps the flat model as it was: 1,200.00 at 6% over 12 months is 105.00 a month', () => {
    // Act
    const schedule = buildSchedule({ principal: 120_000, periods: 12, fee: { model: 'flat', rate: '0.06' }, purchaseDate: '2026-01-31' });

    // Assess
    expect(schedule.every((s) => s.principal === 10_000 && s.fee === 600)).toBe(true);
    expect(schedule.slice(0, 3).map((s) => s.dueDate)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('refuses more than 60 periods', () => {
    // Act & Assess
    expect(() => buildSchedule({ principal: 100_000, periods: 61, fee: { model: 'flat', rate: '0' }, purchaseDate: '2026-01-31' })).toThrow(
      expect.objectContaining({ code: 'SCHEDULE.INVALID_PERIODS' }),
    );
  });
});

describe('Function: totalFee', () => {
  it('needs only the principal for a flat fee', () => {
    // Act & Assess: 1,000.00 × 0.088 = 88.00
    expect(totalFee(100_000, { model: 'flat', rate: '0.088' })).toBe(8_800);
  });

  it('adds up the interest of every period for the interest models', () => {
    // Act & Assess
    expect(totalFee(100_000_000, { model: 'annuity', annualRate: '0.049' }, 360)).toBe(91_061_512);
    expect(totalFee(100_000_000, { model: 'equal_principal', annualRate: '0.049' }, 360)).toBe(73_704_121);
  });

  it('refuses to guess the periods of an interest model', () => {
    // Act & Assess
    expect(() => totalFee(100_000, { model: 'annuity', annualRate: '0.049' })).toThrow(expect.objectContaining({ code: 'SCHEDULE.PERIODS_REQUIRED' }));
  });
});

describe('Schema: FeeTermsSchema', () => {
  it('accepts each model with its own rate field and nothing else', () => {
    // Act & Assess
    expect(FeeTermsSchema.safeParse({ model: 'flat', rate: '0.088' }).success).toBe(true);
    expect(FeeTermsSchema.safeParse({ model: 'annuity', annualRate: '0.049' }).success).toBe(true);
    expect(FeeTermsSchema.safeParse({ model: 'equal_principal', annualRate: '0.049' }).success).toBe(true);
    expect(FeeTermsSchema.safeParse({ model: 'annuity', rate: '0.049' }).success).toBe(false);
    expect(FeeTermsSchema.safeParse({ model: 'flat', rate: 0.088 }).success).toBe(false);
  });
});
