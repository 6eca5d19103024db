import { describe, expect, it } from 'vitest';
import { settle } from '../../shared/application/run-agenda-action.ts';
import { accelerate } from '../../shared/domain/acceleration.ts';
import type { Installment, Plan } from '../../shared/domain/plan.ts';
import { afterPayment } from '../../shared/domain/plan-status.ts';
import { aPlanDetail } from '../builders/plans.ts';

// 1,200.00 over 12 months at 0.06 flat: 100.00 + 6.00 a month, due on the last day of each month
// from 28 February; grace 3 days, so period 1 is overdue from 4 March and its 10th overdue day,
// the day the plan defaults (defaultAfterDays 10), is 13 March. On 14 March (12:00 in Shanghai)
// period 2 (due 31 March) is not yet due.
const { plan, installments } = aPlanDetail({ periods: 12, principal: 120_000, rate: '0.06', policy: { defaultAfterDays: 10 } });
const defaulted: Plan = { ...plan, status: 'defaulted' };
const p1: Installment = { ...installments[0]!, status: 'overdue', attemptCount: 4, overdueSince: '2026-03-04' };
const accelerated = accelerate(defaulted, [p1, ...installments.slice(1)], '2026-03-13');
const NOW = new Date('2026-03-14T04:00:00Z');
const paidP1 = (i: Installment): Installment => (i.period === 1 ? { ...i, status: 'paid', amountPaid: 10_600, paidAt: NOW.toISOString() } : i);

describe('Function: afterPayment', () => {
  it('reinstates a defaulted plan once the installment that defaulted is paid: active, 11 periods back on their dates', () => {
    const after = afterPayment(defaulted, accelerated.map(paidP1), 10_600, NOW, [1]);

    expect(after.plan).toMatchObject({ status: 'active', paidPeriods: 1, amountPaid: 10_600 });
    expect(after.reinstated.map((i) => i.period)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Period 2 owes its own 6.00 fee again and is due on 31 March.
    expect(after.installments[1]).toMatchObject({ period: 2, status: 'scheduled', dueDate: '2026-03-31', fee: 600 });
  });

  it('keeps a defaulted plan defaulted while the installment that defaulted is unpaid', () => {
    const partly = accelerated.map((i): Installment => (i.period === 12 ? { ...i, status: 'paid', amountPaid: 10_000 } : i));
    const after = afterPayment(defaulted, partly, 10_000, NOW, [12]);
    expect(after.plan.status).toBe('defaulted');
    expect(after.reinstated).toEqual([]);
  });

  it('waits with the reinstatement while another payment holds one of the installments it would move', () => {
    const held = accelerated.map(paidP1).map((i): Installment => (i.period === 5 ? { ...i, inflightAttemptId: 'plan_test:manual:0123456789abcdef' } : i));
    const after = afterPayment(defaulted, held, 10_600, NOW, [1]);
    expect(after.plan.status).toBe('defaulted');
    expect(after.reinstated).toEqual([]);
  });

  it('makes a defaulted plan paid_off when nothing is left unpaid', () => {
    const all = accelerated.map((i): Installment => ({ ...i, status: 'paid', amountPaid: i.principal + i.fee }));
    // 1,200.00 principal and period 1's 6.00 fee: the fees acceleration dropped are not owed.
    expect(afterPayment(defaulted, all, 120_600, NOW).plan).toMatchObject({ status: 'paid_off', paidPeriods: 12, amountPaid: 120_600 });
  });

  it('makes an overdue plan active once its only overdue installment is paid', () => {
    const overdue: Plan = { ...plan, status: 'overdue' };
    const after = afterPayment(overdue, [p1, ...installments.slice(1)].map(paidP1), 10_600, NOW, [1]);
    expect(after.plan.status).toBe('active');
  });

  it('keeps an active plan overdue while another installment is overdue', () => {
    const twoOverdue = installments.map((i): Installment => (i.period <= 2 ? { ...i, status: 'overdue' } : i)).map(paidP1);
    expect(afterPayment(plan, twoOverdue, 10_600, NOW, [1]).plan.status).toBe('overdue');
  });
});

describe('Function: settle (an automatic debit)', () => {
  it('reinstates a defaulted plan when a debit pays the installment that defaulted, writing the others unlocked', () => {
    // A wallet's debit of period 1 (106.00) accepted before the default is confirmed on 14 March.
    const pendingP1 = accelerated.map((i): Installment => (i.period === 1 ? { ...i, pendingAttemptId: 'plan_test:1:5' } : i));

    const settled = settle(defaulted, pendingP1, pendingP1[0]!, { captured: true, reference: 'ref_1' }, 5, 10_600, NOW);

    expect(settled.updatedPlan).toMatchObject({ status: 'active', paidPeriods: 1, amountPaid: 10_600 });
    expect(settled.written.installments).toEqual([expect.objectContaining({ period: 1, status: 'paid' })]);
    expect(settled.written.alsoUnlocked?.map((i) => i.period)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(settled.all[1]).toMatchObject({ status: 'scheduled', dueDate: '2026-03-31', fee: 600 });
  });

  it('leaves the plan as it was on a decline', () => {
    const settled = settle(defaulted, accelerated, accelerated[0]!, { captured: false, code: 'insufficient_funds' }, 5, 10_600, NOW);
    expect(settled.updatedPlan.status).toBe('defaulted');
    expect(settled.written.alsoUnlocked).toBeUndefined();
  });
});
