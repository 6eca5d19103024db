/**
 * APR disclosure by the plan's method: US Regulation Z Appendix J (odd first periods as a
 * fractional unit period) and the EU APRC (Directive 2008/48/EC Annex I). Expected values are
 * the regulation's published examples or derived by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { disclosedApr, euAprc, firstPeriod, planApr } from '../../shared/domain/apr.ts';
import { createPlan } from '../../shared/domain/plan.ts';
import { DEFAULT_POLICY, type Policy } from '../../shared/domain/policy.ts';
import { aPlanDetail } from '../builders/plans.ts';

/** A one-period plan: 1,000.00 lent, 1,010.00 repaid (a 1% flat fee). */
function onePeriodPlan(purchaseDate: string, billingDay: number | undefined, policy: Partial<Policy> = {}) {
  return createPlan({
    planId: 'plan_apr',
    customerId: 'cus_apr',
    orderId: 'ORD-APR',
    productName: 'Phone',
    currency: 'EUR',
    principal: 100_000,
    periods: 1,
    fee: { model: 'flat', rate: '0.01' },
    purchaseDate,
    ...(billingDay === undefined ? {} : { billingDay }),
    timeZone: 'Europe/Berlin',
    policy: { ...DEFAULT_POLICY, ...policy },
    createdAt: `${purchaseDate}T10:00:00.000Z`,
  }).plan;
}

describe('Reg Z Appendix J (us_reg_z, the default)', () => {
  it('reproduces example (c)(1)(i): 5,000 against 24 monthly payments of 230 is 9.69%', () => {
    // Act & Assess: a regular first period of one month
    expect(planApr(500_000, Array<number>(24).fill(23_000))).toBe('0.0969');
  });

  it('reproduces example (c)(1)(ii): 6,000 advanced 10 Feb 1978, 36 × 200 from 1 Apr 1978, is 11.82%', () => {
    // Prepare: counting back from 1 Apr: 1 Mar is one whole month; 10 Feb → 1 Mar is 19 odd days (f = 19/30)
    const first = firstPeriod('1978-02-10', '1978-04-01', 1);
    const schedule = Array.from({ length: 36 }, (_, k) => {
      const month = 4 + k;
      const dueDate = `${1978 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-01`;
      return { dueDate, principal: 20_000, fee: 0 };
    });

    // Act & Assess
    expect(first).toEqual({ fullMonths: 1, oddDays: 19 });
    expect(planApr(600_000, Array<number>(36).fill(20_000), first)).toBe('0.1182');
    expect(disclosedApr('us_reg_z', 600_000, '1978-02-10', schedule, 1)).toBe('0.1182');
  });

  it('discloses a long first period (36 days) by its fractional unit period: 10.27%, not 12.00%', () => {
    // Prepare: bought 10 Jan 2026, billing day 15 → due 15 Feb: one whole month back to 15 Jan, plus
    // 5 odd days (f = 5/30). 1,000 = 1,010 / ((1 + i/6)(1 + i)) ⇒ i² + 7i − 0.06 = 0
    // ⇒ i = (−7 + √49.24) / 2 = 0.0085610, APR = 12i = 0.102732
    const plan = onePeriodPlan('2026-01-10', 15);

    // Assess
    expect(firstPeriod('2026-01-10', '2026-02-15', 15)).toEqual({ fullMonths: 1, oddDays: 5 });
    expect(plan.apr).toBe('0.1027');
  });

  it('discloses a short first period (28 days) as a fraction of a month: 12.86%, not 12.00%', () => {
    // Prepare: bought 31 Jan 2026, billing day 28 → due 28 Feb, 28 days; 28 Jan is before the
    // purchase, so no whole month and f = 28/30. 1,000 = 1,010 / (1 + (28/30)·i)
    // ⇒ i = 0.01 · 30/28 = 0.0107143, APR = 12i = 0.128571
    const plan = onePeriodPlan('2026-01-31', 28);

    // Assess
    expect(firstPeriod('2026-01-31', '2026-02-28', 28)).toEqual({ fullMonths: 0, oddDays: 28 });
    expect(plan.apr).toBe('0.1286');
  });

  it('keeps a regular first month at the plain IRR × 12', () => {
    // Act & Assess: 1% over exactly one month is 12.00%; 1,200.00 at 8.8% flat over 12 is 15.86%
    expect(onePeriodPlan('2026-01-15', undefined).apr).toBe('0.1200');
    expect(aPlanDetail({ principal: 120_000, rate: '0.088', purchaseDate: '2026-01-15' }).plan.apr).toBe('0.1586');
  });
});

describe('EU APRC (eu_aprc)', () => {
  it('gives a year at 10% as 10.0%', () => {
    // Act & Assess: 1,000 → 1,100 after 365 days: (1 + X)^1 = 1.1
    expect(euAprc(100_000, '2025-01-01', [{ dueDate: '2026-01-01', amount: 110_000 }])).toBe('0.100');
  });

  it('compounds a part of a year: 5% over 182 days is 10.3%', () => {
    // Act & Assess: X = 1.05^(365/182) − 1 = exp(2.005495 × 0.0487902) − 1 = 0.10280
    expect(euAprc(100_000, '2026-01-01', [{ dueDate: '2026-07-02', amount: 105_000 }])).toBe('0.103');
  });

  it('solves two installments by hand: 520 after 73 and 146 days against 1,000 is 14.0%', () => {
    // Prepare: with v = (1 + X)^(−73/365) = (1 + X)^(−1/5): 520(v + v²) = 1,000
    // ⇒ v = (−1 + √(1 + 4 · 1,000/520)) / 2 = 0.974136 ⇒ X = v^(−5) − 1 = 0.13999
    const payments = [
      { dueDate: '2026-03-15', amount: 52_000 },
      { dueDate: '2026-05-27', amount: 52_000 },
    ];

    // Act & Assess: 1 Jan → 15 Mar is 73 days, → 27 May is 146
    expect(euAprc(100_000, '2026-01-01', payments)).toBe('0.140');
  });

  it('is chosen per plan: 1% over 31 days is 12.4% effective, not 12.00% nominal', () => {
    // Prepare: X = 1.01^(365/31) − 1 = exp(11.774194 × 0.00995033) − 1 = 0.12430
    const plan = onePeriodPlan('2026-01-15', undefined, { aprMethod: 'eu_aprc' });

    // Assess
    expect(plan.apr).toBe('0.124');
  });
});
