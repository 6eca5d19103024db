import { describe, expect, it } from 'vitest';
import { repaymentEvents } from '../../shared/application/billing-events.ts';
import { applyDecline, retryAfterCustomerAction } from '../../shared/domain/dunning.ts';
import type { Installment } from '../../shared/domain/plan.ts';
import type { RepaymentRecord } from '../../shared/domain/repayment.ts';
import { aPlanDetail } from '../builders/plans.ts';

const { plan, installments } = aPlanDetail({ periods: 3, principal: 30_000, rate: '0.02' });
const first = installments[0]!; // due 2026-02-28
const at = (iso: string) => new Date(iso);

/** Declines attempt `n` of an installment at `when`. */
const decline = (inst: Installment, n: number, when: string, code = 'insufficient_funds') => applyDecline(plan, inst, code, n, at(when), 'pm_1');

const failedRecord = (period: number, n: number, createdAt: string): RepaymentRecord => ({
  id: `${plan.planId}:${period}:${n}`,
  planId: plan.planId,
  kind: 'auto',
  periods: [period],
  amount: 10_200,
  currency: 'CNY',
  paymentMethodId: 'pm_1',
  paymentMethodDisplay: 'card ****4242',
  status: 'failed',
  failureCode: 'insufficient_funds',
  createdAt,
});

describe('Function: applyDecline, what the customer is told', () => {
  it('tells the first failure, not the retries on days 1 and 3 that fail the same way', () => {
    const a1 = decline(first, 1, '2026-02-28T01:00:00Z');
    const a2 = decline(a1, 2, '2026-03-01T01:00:00Z');
    const a3 = decline(a2, 3, '2026-03-03T01:00:00Z');

    expect([a1.failureToldAttempt, a2.failureToldAttempt, a3.failureToldAttempt]).toEqual([1, 1, 1]);
    expect(a3.failureNoticesSent).toEqual(['first_failure']);
  });

  it('tells a retry that fails once the installment is overdue, then not the weekly ones after it', () => {
    const told = decline(first, 1, '2026-02-28T01:00:00Z');
    const overdue: Installment = { ...told, status: 'overdue' };
    const a4 = decline(overdue, 4, '2026-03-05T01:00:00Z');
    const a5 = decline(a4, 5, '2026-03-12T01:00:00Z');

    expect([a4.failureToldAttempt, a5.failureToldAttempt]).toEqual([4, 4]);
    expect(a5.failureNoticesSent).toEqual(['first_failure', 'turned_overdue']);
  });

  it('tells a failure that needs a new method, and again after the customer binds one that fails for good too', () => {
    const retried = decline(first, 1, '2026-02-28T01:00:00Z');
    const expired = decline(retried, 2, '2026-03-01T01:00:00Z', 'card_expired');
    expect(expired.failureToldAttempt).toBe(2);

    const rebound = retryAfterCustomerAction(expired, at('2026-03-01T05:00:00Z'));
    const again = decline(rebound, 3, '2026-03-01T05:05:00Z', 'account_closed');
    expect(again.failureToldAttempt).toBe(3);
  });
});

describe('Function: repaymentEvents, failures', () => {
  it('gives the told failures of one plan on one local day one notice id, so two installments failing that day text once', () => {
    const p2 = { ...decline(installments[1]!, 1, '2026-03-31T01:00:00Z'), status: 'overdue' as const };
    const p3 = decline(installments[2]!, 1, '2026-03-31T01:00:30Z');
    const all = [first, p2, p3];

    const [e2] = repaymentEvents(plan, all, failedRecord(2, 1, '2026-03-31T01:00:00.000Z'), at('2026-03-31T01:00:01Z'));
    const [e3] = repaymentEvents(plan, all, failedRecord(3, 1, '2026-03-31T01:00:30.000Z'), at('2026-03-31T01:00:31Z'));

    // 09:00 in Shanghai on 31 March: both on the local day 2026-03-31.
    expect(e2).toMatchObject({ type: 'RepaymentFailed', notify: true, id: `repayment-failed:${plan.planId}:2026-03-31` });
    expect(e3!.id).toBe(e2!.id);
  });

  it('publishes a retry with no news without a notice', () => {
    const a1 = decline(first, 1, '2026-02-28T01:00:00Z');
    const a2 = decline(a1, 2, '2026-03-01T01:00:00Z');
    const [event] = repaymentEvents(plan, [a2, ...installments.slice(1)], failedRecord(1, 2, '2026-03-01T01:00:00.000Z'), at('2026-03-01T01:00:01Z'));

    expect(event).toMatchObject({ type: 'RepaymentFailed', notify: false });
  });
});
