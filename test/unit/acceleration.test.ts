import { describe, expect, it } from 'vitest';
import { accelerate, afterCatchUp } from '../../shared/domain/acceleration.ts';
import { amountDue, type Installment } from '../../shared/domain/plan.ts';
import { aPlanDetail } from '../builders/plans.ts';

// 1,200.00 over 12 months at 0.06 flat: 100.00 principal + 6.00 fee a month, due on the last day
// of each month from 28 February; defaulting 10 days into being overdue.
const { plan, installments } = aPlanDetail({ periods: 12, principal: 120_000, rate: '0.06', policy: { defaultAfterDays: 10 } });
const defaulted = { ...plan, status: 'defaulted' as const };
// Period 1 (due 28 Feb, grace to 3 Mar) is overdue from 4 March; its 10th day is 13 March.
const p1Overdue: Installment = { ...installments[0]!, status: 'overdue', attemptCount: 4, nextAttemptAt: '2026-03-12T01:00:00.000Z', overdueSince: '2026-03-04' };
const before = [p1Overdue, ...installments.slice(1)];

describe('Function: accelerate', () => {
  const after = accelerate(defaulted, before, '2026-03-13');
  const byPeriod = new Map(after.map((i) => [i.period, i]));

  it('makes every unpaid installment overdue that day, with no automatic debit left', () => {
    expect(after).toHaveLength(12);
    for (const i of after) {
      expect(i).toMatchObject({ status: 'overdue', acceleratedOn: '2026-03-13' });
      expect(i.nextAttemptAt).toBeUndefined();
    }
  });

  it('moves later due dates to the default day and keeps the ones they had', () => {
    expect(byPeriod.get(1)!.dueDate).toBe('2026-02-28');
    expect(byPeriod.get(1)!.acceleratedFrom).toBeUndefined();
    expect(byPeriod.get(2)).toMatchObject({ dueDate: '2026-03-13', acceleratedFrom: '2026-03-31' });
    expect(byPeriod.get(12)).toMatchObject({ dueDate: '2026-03-13', acceleratedFrom: '2027-01-31' });
  });

  it('asks for the principal and only the fee already earned: 1,200.00 + 6.00', () => {
    // Flat fees of periods not yet due are waived, as a payoff that day would waive them.
    expect(after.reduce((s, i) => s + amountDue(i), 0)).toBe(120_000 + 600);
    expect(byPeriod.get(2)).toMatchObject({ fee: 0, waivedFee: 600 });
  });
});

describe('Function: accelerate under the payoff fee policies', () => {
  // The same plan and day: period 1 (due 28 Feb) is past, period 2 (due 31 Mar) is the current period.
  const dueAfterDefault = (payoffFees: 'waive_future' | 'charge_current_period' | 'charge_all') => {
    const detail = aPlanDetail({ periods: 12, principal: 120_000, rate: '0.06', policy: { defaultAfterDays: 10, payoffFees } });
    const p1: Installment = { ...detail.installments[0]!, status: 'overdue', overdueSince: '2026-03-04' };
    const after = accelerate({ ...detail.plan, status: 'defaulted' }, [p1, ...detail.installments.slice(1)], '2026-03-13');
    return after.reduce((s, i) => s + amountDue(i), 0);
  };

  it('asks 1,206.00 under waive_future, 1,212.00 under charge_current_period, 1,272.00 under charge_all', () => {
    expect(dueAfterDefault('waive_future')).toBe(120_600);
    expect(dueAfterDefault('charge_current_period')).toBe(121_200);
    expect(dueAfterDefault('charge_all')).toBe(127_200);
  });
});

describe('Function: afterCatchUp', () => {
  const accelerated = accelerate(defaulted, before, '2026-03-13');

  it('reinstates the plan once the installment that defaulted is paid: later periods back to their dates and fees', () => {
    const paid = accelerated.map((i): Installment => (i.period === 1 ? { ...i, status: 'paid', amountPaid: 10_600 } : i));

    const { status, reinstated } = afterCatchUp(defaulted, paid, '2026-03-14', new Date('2026-03-14T04:00:00Z'));

    expect(status).toBe('active');
    expect(reinstated).toHaveLength(11);
    expect(reinstated[0]).toMatchObject({ period: 2, status: 'scheduled', dueDate: '2026-03-31', fee: 600 });
    expect(reinstated[0]!.acceleratedOn).toBeUndefined();
    expect(reinstated[0]!.waivedFee).toBeUndefined();
  });

  it('stays defaulted while an installment is still defaultAfterDays overdue by its own schedule', () => {
    const { status, reinstated } = afterCatchUp(defaulted, accelerated, '2026-03-14', new Date('2026-03-14T04:00:00Z'));
    expect(status).toBe('defaulted');
    expect(reinstated).toEqual([]);
  });

  it('returns an installment overdue by its own schedule as overdue, and the plan with it', () => {
    // On 5 April period 2 (due 31 March, grace to 3 April) is 2 days overdue: under 10.
    const paid = accelerated.map((i): Installment => (i.period === 1 ? { ...i, status: 'paid', amountPaid: 10_600 } : i));
    const { status, reinstated } = afterCatchUp(defaulted, paid, '2026-04-05', new Date('2026-04-05T04:00:00Z'));
    expect(status).toBe('overdue');
    expect(reinstated[0]).toMatchObject({ period: 2, status: 'overdue', dueDate: '2026-03-31' });
    expect(reinstated[1]).toMatchObject({ period: 3, status: 'scheduled', dueDate: '2026-04-30' });
  });
});
