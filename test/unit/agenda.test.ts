import { describe, expect, it } from 'vitest';
import { nextAction } from '../../shared/domain/agenda.ts';
import { applyDecline, applyPayment } from '../../shared/domain/dunning.ts';
import { aPlanDetail } from '../builders/plans.ts';

describe('Function: nextAction', () => {
  it('reminds 3 days before the due date at 10:00 local first', () => {
    const { plan, installments } = aPlanDetail();
    expect(nextAction(plan, installments[0]!)).toEqual({ kind: 'remind', daysBefore: 3, at: new Date('2026-02-25T02:00:00Z') });
  });

  it('reminds 1 day before once the first reminder went out', () => {
    const { plan, installments } = aPlanDetail();
    const inst = { ...installments[0]!, remindersSent: [3] };
    expect(nextAction(plan, inst)).toEqual({ kind: 'remind', daysBefore: 1, at: new Date('2026-02-27T02:00:00Z') });
  });

  it('debits at 09:00 local on the due date after the reminders', () => {
    const { plan, installments } = aPlanDetail();
    const inst = { ...installments[0]!, remindersSent: [3, 1] };
    expect(nextAction(plan, inst)).toEqual({ kind: 'debit', at: new Date('2026-02-28T01:00:00Z') });
  });

  it('has nothing to do for a paid installment or a paid-off plan', () => {
    const { plan, installments } = aPlanDetail();
    const paid = applyPayment(installments[0]!, 10_600, new Date('2026-02-28T01:00:00Z'));
    expect(paid.status).toBe('paid');
    expect(nextAction(plan, paid)).toBeUndefined();
    expect(nextAction({ ...plan, status: 'paid_off' }, installments[1]!)).toBeUndefined();
  });

  it('marks a failed installment overdue at the start of the day after the grace period', () => {
    const { plan, installments } = aPlanDetail({ policy: { retryOffsetsDays: [5] } });
    const failed = applyDecline(plan, { ...installments[0]!, attemptCount: 1 }, 'insufficient_funds', 1, new Date('2026-02-28T01:00:00Z'));
    // Grace 3 days after 28 Feb: overdue from 4 March 00:00 Shanghai, before the day-5 retry.
    expect(nextAction(plan, failed)).toEqual({ kind: 'overdue_tick', at: new Date('2026-03-03T16:00:00Z') });
  });
});

describe('Function: applyDecline', () => {
  const now = new Date('2026-02-28T01:00:00Z');

  it('retries an insufficient-funds decline one day later at the debit time', () => {
    const { plan, installments } = aPlanDetail();
    const failed = applyDecline(plan, installments[0]!, 'insufficient_funds', 1, now);
    expect(failed).toMatchObject({ status: 'failed', lastFailureCode: 'insufficient_funds', nextAttemptAt: '2026-03-01T01:00:00.000Z' });
    expect(nextAction(plan, failed)).toEqual({ kind: 'debit', at: new Date('2026-03-01T01:00:00Z') });
  });

  it('uses the offsets 1, 3, 5 days after the due date for the following tries', () => {
    const { plan, installments } = aPlanDetail();
    const second = applyDecline(plan, installments[0]!, 'processing_error', 2, new Date('2026-03-01T01:00:00Z'));
    const third = applyDecline(plan, installments[0]!, 'processing_error', 3, new Date('2026-03-03T01:00:00Z'));
    expect([second.nextAttemptAt, third.nextAttemptAt]).toEqual(['2026-03-03T01:00:00.000Z', '2026-03-05T01:00:00.000Z']);
  });

  it('falls back to every overdueRetryDays once the offsets are used up', () => {
    const { plan, installments } = aPlanDetail();
    const fourth = applyDecline(plan, { ...installments[0]!, status: 'overdue' }, 'insufficient_funds', 4, new Date('2026-03-05T01:00:00Z'));
    expect(fourth).toMatchObject({ status: 'overdue', nextAttemptAt: '2026-03-12T01:00:00.000Z' });
  });

  it('does not retry an expired card until the customer acts', () => {
    const { plan, installments } = aPlanDetail();
    const failed = applyDecline(plan, installments[0]!, 'card_expired', 1, now);
    expect(failed).toMatchObject({ status: 'failed', needsCustomerAction: true });
    expect(failed.nextAttemptAt).toBeUndefined();
    expect(nextAction(plan, failed)?.kind).toBe('overdue_tick');
  });
});
