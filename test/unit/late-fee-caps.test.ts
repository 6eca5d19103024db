import { describe, expect, it } from 'vitest';
import { accrueLateFeeDays, type LateFeePolicy } from '../../shared/domain/late-fees.ts';
import { overdueStep } from '../../shared/domain/overdue.ts';
import type { Installment } from '../../shared/domain/plan.ts';
import { aPlanDetail } from '../builders/plans.ts';

describe('Late fees: the APR cap is a running total of what each day allowed', () => {
  // 0.1% a day (36.5% a year) against a 24% cap, so the APR cap binds; the share cap does not.
  const policy: LateFeePolicy = { lateFeeDailyRate: '0.001', lateFeeCap: '0.5', aprCap: '0.24' };

  it('keeps what the days before a partial payment allowed', () => {
    // Days 1–10 on 1,000.00: 10 × 1.00 = 10.00 charged, capped at ⌊100,000 × 10 × 0.24 / 365⌋ = ⌊657.53⌋ = 6.57.
    const tenDays = accrueLateFeeDays({ base: 100_000, installmentAmount: 100_000, accrued: 0, days: 10, daysOverdue: 10 }, policy);
    expect(tenDays).toEqual({ lateFee: 657, baseDays: '1000000' });

    // 900.00 paid; day 11 on 100.00 adds 0.10 and allows ⌊(1,000,000 + 10,000) × 0.24 / 365⌋ = ⌊664.11⌋ = 6.64.
    const day11 = accrueLateFeeDays({ base: 10_000, installmentAmount: 100_000, accrued: 657, days: 1, daysOverdue: 11, baseDaysBefore: tenDays.baseDays }, policy);

    expect(day11).toEqual({ lateFee: 664, baseDays: '1010000' });
  });
});

describe('Late fees: the APR cap counts the plan’s own fee', () => {
  // 5,999.00 at 0.088 flat over 12 months: APR 0.1586 (README), so late fees may add 0.24 − 0.1586 = 0.0814 a year.
  const { plan, installments } = aPlanDetail({ periods: 12, principal: 599_900, rate: '0.088' });
  const first: Installment = { ...installments[0]!, status: 'failed', attemptCount: 4 };

  it('charges ⌊543.92 × 0.0814 × 3 / 365⌋ = 0.36 over three overdue days, not 3 × 0.27', () => {
    expect(plan.apr).toBe('0.1586');
    // Period 1: 499.92 principal + 44.00 fee, due 28 Feb; grace to 3 Mar; 6 March is overdue day 3.
    const step = overdueStep(plan, first, new Date('2026-03-06T04:00:00Z'));

    expect(step.daysOverdue).toBe(3);
    expect(step.installment.lateFee).toBe(36);
  });

  it('charges no late fee on a plan already at the cap', () => {
    const capped = { ...plan, apr: '0.24' };
    expect(overdueStep(capped, first, new Date('2026-03-06T04:00:00Z')).installment.lateFee).toBe(0);
  });

  it('accrues from the first day after the grace period, not from the due date', () => {
    // 3 March is the last day of grace: nothing yet. 4 March is day 1.
    expect(overdueStep(plan, first, new Date('2026-03-03T04:00:00Z')).daysOverdue).toBe(0);
    const day1 = overdueStep(plan, first, new Date('2026-03-04T04:00:00Z'));
    // ⌊54,392 × 0.0814 / 365⌋ = ⌊12.13⌋ = 0.12
    expect([day1.daysOverdue, day1.installment.lateFee]).toEqual([1, 12]);
  });
});
