/**
 * Early payoff of a flat plan under each fee policy, on both sides of a due date, and where the
 * rounding remainder of a schedule goes. Expected figures are worked by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { type InstallmentAmounts, type PayoffFeePolicy, payoffQuote } from '../../shared/domain/allocation.ts';
import { split } from '../../shared/domain/money.ts';
import { DEFAULT_POLICY, payoffFeePolicy } from '../../shared/domain/policy.ts';
import { buildSchedule } from '../../shared/domain/schedule.ts';
import { aPlanDetail } from '../builders/plans.ts';

/**
 * 1,200.00 at 8.8% flat over 12 months bought 15 Jan 2026: each period 100.00 principal and
 * 8.80 fee (105.60 / 12), due on the 15th; period 1 paid.
 */
function onePaid(): InstallmentAmounts[] {
  const { installments } = aPlanDetail({ principal: 120_000, periods: 12, rate: '0.088', purchaseDate: '2026-01-15' });
  return installments.map((i) => ({ ...i, amountPaid: i.period === 1 ? i.principal + i.fee : 0 }));
}

const quote = (today: string, policy: PayoffFeePolicy) => payoffQuote(onePaid(), today, 'flat', policy, '2026-01-15');

describe('Function: payoffQuote (fee policies)', () => {
  it('waives all 11 remaining fees (96.80) under waive_future, the day before period 2 is due and on its due date alike', () => {
    // Assess: 11 × 100.00 principal; 11 × 8.80 = 96.80 waived, on 14 and on 15 March
    for (const today of ['2026-03-14', '2026-03-15']) {
      expect(quote(today, 'waive_future')).toMatchObject({ principal: 110_000, fee: 0, waived: 9_680, total: 110_000, charging: 'waive_future', currentPeriod: 2 });
    }
  });

  it("charges the current period's fee under charge_current_period, the same on the due date as the day before", () => {
    // Assess: 1,100.00 + period 2's 8.80; the other 10 × 8.80 = 88.00 waived
    expect(quote('2026-03-14', 'charge_current_period')).toMatchObject({ fee: 880, waived: 8_800, total: 110_880, currentPeriod: 2 });
    expect(quote('2026-03-15', 'charge_current_period')).toMatchObject({ fee: 880, waived: 8_800, total: 110_880, currentPeriod: 2 });
  });

  it('charges every remaining fee under charge_all', () => {
    // Assess: 1,100.00 + 96.80
    expect(quote('2026-03-15', 'charge_all')).toMatchObject({ fee: 9_680, waived: 0, total: 119_680, charging: 'charge_all' });
  });

  it('owes the fee of a period whose due date has passed unpaid, from the day after it', () => {
    // Assess: on 16 March period 2 is past (8.80 owed) and period 3 is current
    expect(quote('2026-03-16', 'waive_future')).toMatchObject({ fee: 880, waived: 8_800, total: 110_880, currentPeriod: 3 });
    expect(quote('2026-03-16', 'charge_current_period')).toMatchObject({ fee: 1_760, waived: 7_920, total: 111_760, currentPeriod: 3 });
  });

  it('starts charging a period under charge_current_period the day after the previous due date', () => {
    // Assess: on 15 Feb period 1 (paid) is still current, so period 2's fee is waived; on 16 Feb period 2 has begun
    expect(quote('2026-02-15', 'charge_current_period')).toMatchObject({ fee: 0, total: 110_000, currentPeriod: 1 });
    expect(quote('2026-02-16', 'charge_current_period')).toMatchObject({ fee: 880, total: 110_880, currentPeriod: 2 });
  });

  it('reads plans frozen before the setting existed by waiveFeesOnPayoff', () => {
    // Act & Assess
    expect(payoffFeePolicy(DEFAULT_POLICY)).toBe('waive_future');
    expect(payoffFeePolicy({ ...DEFAULT_POLICY, waiveFeesOnPayoff: false })).toBe('charge_all');
    expect(payoffFeePolicy({ ...DEFAULT_POLICY, payoffFees: 'charge_current_period' })).toBe('charge_current_period');
  });
});

describe('Rule: where the rounding remainder goes', () => {
  it('splits 1,000.00 over 3 as 333.34, 333.33, 333.33 (first periods) or 333.33, 333.33, 333.34 (last period)', () => {
    // Act & Assess: 100,000 = 3 × 33,333 + 1
    expect(split(100_000, 3)).toEqual([33_334, 33_333, 33_333]);
    expect(split(100_000, 3, 'last_period')).toEqual([33_333, 33_333, 33_334]);
  });

  it("gives a flat plan's last period the whole remainder of principal and fee when the plan says so", () => {
    // Prepare: 1,000.00 at 8.8% flat over 12. Principal 100,000 = 12 × 8,333 + 4; fee 8,800 = 12 × 733 + 4.
    const first = aPlanDetail({ principal: 100_000, periods: 12, rate: '0.088' });
    const last = aPlanDetail({ principal: 100_000, periods: 12, rate: '0.088', policy: { remainderTo: 'last_period' } });

    // Assess: first periods: 4 × (83.34 + 7.34) then 8 × (83.33 + 7.33); last period: 11 × (83.33 + 7.33), then 83.37 + 7.37
    expect(first.installments.map((i) => [i.principal, i.fee])).toEqual([...Array(4).fill([8_334, 734]), ...Array(8).fill([8_333, 733])]);
    expect(last.installments.map((i) => [i.principal, i.fee])).toEqual([...Array(11).fill([8_333, 733]), [8_337, 737]]);
    expect(last.plan.totalFee).toBe(8_800);
  });

  it("puts an equal-principal plan's principal remainder in its last period, with interest on the balance that leaves", () => {
    // Act: 1,000.00 at 12% a year (1% a month) over 3
    const schedule = buildSchedule({
      principal: 100_000,
      periods: 3,
      fee: { model: 'equal_principal', annualRate: '0.12' },
      purchaseDate: '2026-01-15',
      remainderTo: 'last_period',
    });

    // Assess: principal 333.33, 333.33, 333.34; interest 1% of 1,000.00, of 666.67 (6.6667) and of 333.34 (3.3334)
    expect(schedule.map((s) => [s.principal, s.fee])).toEqual([
      [33_333, 1_000],
      [33_333, 667],
      [33_334, 333],
    ]);
  });
});
