/** Pricing and intake rules of a new plan (shared/domain/intake.ts). Expected values worked out by hand. */
import { describe, expect, it } from 'vitest';
import { admitPlan, checkApr, checkNoZeroInstallment, checkPurchaseDate, checkSafeRange, smallestWorkingPrincipal } from '../../shared/domain/intake.ts';
import type { NewPlanInput } from '../../shared/domain/plan.ts';
import { DEFAULT_POLICY } from '../../shared/domain/policy.ts';

const window = { daysBack: 30, daysAhead: 1 };
const input = (overrides: Partial<NewPlanInput> = {}): NewPlanInput => ({
  planId: 'plan_1',
  customerId: 'cus_1',
  orderId: 'ORD-1',
  productName: 'Phone',
  currency: 'CNY',
  principal: 599_900,
  periods: 12,
  fee: { model: 'flat', rate: '0.088' },
  purchaseDate: '2026-01-31',
  timeZone: 'Asia/Shanghai',
  policy: DEFAULT_POLICY,
  createdAt: '2026-01-31T04:00:00.000Z',
  ...overrides,
});

describe('Policy: intake defaults', () => {
  it('caps a plan at an APR of 0.24 and accepts purchases from 30 days back to 1 day ahead', () => {
    expect(DEFAULT_POLICY.maxApr).toBe('0.24');
    expect(DEFAULT_POLICY.purchaseDateWindow).toEqual({ daysBack: 30, daysAhead: 1 });
  });
});

describe('Rule: a plan’s own cost is capped (maxApr)', () => {
  it('admits 0.088 flat over 12 months (APR 0.1586, under 0.24)', () => {
    const admitted = admitPlan(input(), '2026-01-31');
    expect(admitted.ok && admitted.value.plan.apr).toBe('0.1586');
  });

  it('refuses a flat rate of 50 naming fee', () => {
    const refused = admitPlan(input({ fee: { model: 'flat', rate: '50' } }), '2026-01-31');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatchObject({ code: 'PLAN.APR_ABOVE_MAX', kind: 'unprocessable', field: 'fee', details: { maxApr: '0.24' } });
  });

  it('admits an APR equal to the cap and refuses one basis point above it', () => {
    expect(checkApr('0.2400', '0.24').ok).toBe(true);
    expect(checkApr('0.2401', '0.24').ok).toBe(false);
  });

  it('checks against the policy frozen into the plan', () => {
    // 0.1586 is above a cap of 0.15.
    const refused = admitPlan(input({ policy: { ...DEFAULT_POLICY, maxApr: '0.15' } }), '2026-01-31');
    expect(refused.ok ? undefined : refused.error.code).toBe('PLAN.APR_ABOVE_MAX');
  });
});

describe('Rule: the purchase date lies within a window around today', () => {
  it('accepts 30 days back and 1 day ahead, both ends included', () => {
    expect(checkPurchaseDate('2026-01-01', '2026-01-31', window).ok).toBe(true);
    expect(checkPurchaseDate('2026-02-01', '2026-01-31', window).ok).toBe(true);
  });

  it('refuses 31 days back, 2 days ahead and 1900-01-01 naming purchaseDate', () => {
    for (const date of ['2025-12-31', '2026-02-02', '1900-01-01']) {
      const refused = checkPurchaseDate(date, '2026-01-31', window);
      expect(refused.ok ? undefined : refused.error).toMatchObject({
        code: 'PLAN.PURCHASE_DATE_OUTSIDE_WINDOW',
        field: 'purchaseDate',
        details: { earliest: '2026-01-01', latest: '2026-02-01' },
      });
    }
  });

  it('counts across a leap day (2028-02-29 is 1 day after 02-28)', () => {
    expect(checkPurchaseDate('2028-02-29', '2028-02-28', window).ok).toBe(true);
    expect(checkPurchaseDate('2028-03-01', '2028-02-28', window).ok).toBe(false);
  });

  it('is checked by admitPlan', () => {
    const refused = admitPlan(input({ purchaseDate: '1900-01-01' }), '2026-01-31');
    expect(refused.ok ? undefined : refused.error.field).toBe('purchaseDate');
  });
});

describe('Rule: no installment of 0.00', () => {
  it('refuses 5 fen over 12 interest-free periods, the smallest that works being 12 fen', () => {
    const refused = checkNoZeroInstallment(5, 12, { model: 'flat', rate: '0' }, 'CNY');
    expect(refused.ok ? undefined : refused.error).toMatchObject({
      code: 'PLAN.ZERO_INSTALLMENT',
      kind: 'unprocessable',
      field: 'principal',
      details: { smallestPrincipal: { amount: 12, currency: 'CNY' } },
    });
    expect(refused.ok ? '' : refused.error.message).toContain('0.12 CNY');
    expect(checkNoZeroInstallment(12, 12, { model: 'flat', rate: '0' }, 'CNY').ok).toBe(true);
  });

  it('names the smallest principal for equal-principal plans: one unit a period', () => {
    expect(smallestWorkingPrincipal(1, 24, { model: 'equal_principal', annualRate: '0.1' })).toBe(24);
  });

  it('refuses an annuity whose rounded-up payment repays early and leaves 0.00 periods', () => {
    // 18 fen over 12 at 1%/yr: payment 18·r/(1−(1+r)^−12) ≈ 1.508 → 2 fen, interest rounds to 0,
    // so periods 1–9 repay it all and 10–12 are 0.00. 19–22 fail the same way (19: period 11;
    // 20: 11; 21: 12; 22: 12); 23 repays 2 × 11 + 1.
    const fee = { model: 'annuity', annualRate: '0.01' } as const;
    const refused = checkNoZeroInstallment(18, 12, fee, 'CNY');
    expect(refused.ok ? undefined : refused.error.details).toEqual({ smallestPrincipal: { amount: 23, currency: 'CNY' } });
    expect(checkNoZeroInstallment(23, 12, fee, 'CNY').ok).toBe(true);
  });

  it('refuses through admitPlan before anything throws', () => {
    const refused = admitPlan(input({ principal: 5, fee: { model: 'flat', rate: '0' } }), '2026-01-31');
    expect(refused.ok ? undefined : refused.error.code).toBe('PLAN.ZERO_INSTALLMENT');
  });
});

describe('Rule: totals stay within the exact range of a number', () => {
  it('refuses a principal whose total with late fees passes 2^53 − 1', () => {
    // 8.5e15 × 1.06 = 9.01e15 > 9,007,199,254,740,991 even before late fees.
    const refused = checkSafeRange(8_500_000_000_000_000, 12, { model: 'flat', rate: '0.06' }, '0.1', 'CNY');
    expect(refused.ok ? undefined : refused.error).toMatchObject({ code: 'PLAN.AMOUNT_OUT_OF_RANGE', field: 'principal' });
  });

  it('counts late fees: 8.5e15 interest-free is 9.35e15 with late fees up to 0.1', () => {
    expect(checkSafeRange(8_500_000_000_000_000, 12, { model: 'flat', rate: '0' }, '0.1', 'CNY').ok).toBe(false);
    // 8e15 × 1.1 = 8.8e15 fits.
    expect(checkSafeRange(8_000_000_000_000_000, 12, { model: 'flat', rate: '0' }, '0.1', 'CNY').ok).toBe(true);
  });

  it('bounds interest models by what they actually charge', () => {
    // 5e15 at 2%/month over 60: an annuity pays 60 × 0.02/(1 − 1.02^−60) ≈ 1.726 × P = 8.63e15,
    // 9.49e15 with late fees: refused. Equal principal pays P + 0.02 × P × 61/2 = 8.05e15,
    // 8.855e15 with late fees: fits.
    expect(checkSafeRange(5_000_000_000_000_000, 60, { model: 'annuity', annualRate: '0.24' }, '0.1', 'CNY').ok).toBe(false);
    expect(checkSafeRange(5_000_000_000_000_000, 60, { model: 'equal_principal', annualRate: '0.24' }, '0.1', 'CNY').ok).toBe(true);
  });

  it('refuses Number.MAX_SAFE_INTEGER at 0.088 through admitPlan instead of throwing', () => {
    const refused = admitPlan(input({ principal: Number.MAX_SAFE_INTEGER }), '2026-01-31');
    expect(refused.ok ? undefined : refused.error.code).toBe('PLAN.AMOUNT_OUT_OF_RANGE');
  });
});
