import { describe, expect, it } from 'vitest';
import { deferInstallmentBy } from '../../shared/domain/deferral.ts';
import type { Installment } from '../../shared/domain/plan.ts';
import { afterMessage, checkClose, checkDecision, checkDeclineReason, checkNewCase, type SupportCase, subjectOf } from '../../shared/domain/support.ts';
import { aPlanDetail } from '../builders/plans.ts';

// Due on the last day of each month from 28 February 2026 (Shanghai).
const { plan, installments } = aPlanDetail({ periods: 12, principal: 120_000 });
const withFirst = (first: Partial<Installment>) => [{ ...installments[0]!, ...first }, ...installments.slice(1)];
const shanghai = (date: string, time = '12:00') => new Date(`${date}T${time}:00+08:00`);

const aCase = (o: Partial<SupportCase> = {}): SupportCase => ({
  caseId: 'case_1',
  customerId: 'cus_1',
  category: 'extension_request',
  status: 'open',
  planId: plan.planId,
  period: 1,
  days: 10,
  subject: 'please',
  messageCount: 1,
  createdAt: '2026-02-28T02:00:00.000Z',
  updatedAt: '2026-02-28T02:00:00.000Z',
  ...o,
});

describe('Function: deferInstallmentBy (operator authority)', () => {
  it('grants what self-service refuses in grace, and points the customer to an extension request', () => {
    const declined = withFirst({ status: 'failed', attemptCount: 1 });
    const self = deferInstallmentBy(plan, declined, 1, 10, shanghai('2026-03-01'));
    expect(self).toMatchObject({ ok: false, error: { code: 'DEFERRAL.IN_GRACE', details: { remedy: 'extension_request' } } });
    expect(deferInstallmentBy(plan, declined, 1, 10, shanghai('2026-03-01'), 'operator')).toMatchObject({ ok: true, value: { newDueDate: '2026-03-11' } });
  });

  it('defers an overdue installment from today, keeping its late fee and clearing its overdue bookkeeping', () => {
    const overdue = withFirst({ status: 'overdue', lateFee: 120, overdueSince: '2026-03-04', lateFeeAccruedThrough: '2026-03-05', overdueNoticesSent: [1] });
    const result = deferInstallmentBy({ ...plan, status: 'overdue' }, overdue, 1, 7, shanghai('2026-03-05'), 'operator');
    expect(result).toMatchObject({ ok: true, value: { newDueDate: '2026-03-12', installment: { status: 'deferred', lateFee: 120 } } });
    if (!result.ok) return;
    expect(result.value.installment.overdueSince).toBeUndefined();
    expect(result.value.installment.lateFeeAccruedThrough).toBeUndefined();
  });

  it('allows twice the days and deferrals of self-service, never more', () => {
    expect(deferInstallmentBy(plan, installments, 1, 31, shanghai('2026-02-01'))).toMatchObject({ ok: false, error: { code: 'DEFERRAL.TOO_LONG' } });
    expect(deferInstallmentBy(plan, installments, 12, 60, shanghai('2026-02-01'), 'operator')).toMatchObject({ ok: true });
    expect(deferInstallmentBy(plan, installments, 12, 61, shanghai('2026-02-01'), 'operator')).toMatchObject({ ok: false, error: { code: 'DEFERRAL.TOO_LONG' } });
    const used = { ...plan, deferralsUsed: 1 };
    expect(deferInstallmentBy(used, installments, 1, 5, shanghai('2026-02-01'), 'operator')).toMatchObject({ ok: true });
    expect(deferInstallmentBy({ ...plan, deferralsUsed: 2 }, installments, 1, 5, shanghai('2026-02-01'), 'operator')).toMatchObject({
      ok: false,
      error: { code: 'DEFERRAL.LIMIT_REACHED' },
    });
  });

  it('never passes the next period’s due date, a defaulted plan or a policy without deferrals, and then offers no remedy', () => {
    const overlap = deferInstallmentBy(plan, installments, 1, 31, shanghai('2026-02-20'));
    expect(overlap).toMatchObject({ ok: false, error: { code: 'DEFERRAL.TOO_LONG' } });
    if (!overlap.ok) expect(overlap.error.details).toBeUndefined();
    expect(deferInstallmentBy(plan, installments, 1, 31, shanghai('2026-02-20'), 'operator')).toMatchObject({ ok: false, error: { code: 'DEFERRAL.OVERLAPS_NEXT' } });
    expect(deferInstallmentBy({ ...plan, status: 'defaulted' }, installments, 1, 5, shanghai('2026-02-20'), 'operator')).toMatchObject({
      ok: false,
      error: { code: 'PLAN.NOT_ACTIVE' },
    });
    const none = { ...plan, policy: { ...plan.policy, maxDeferralsPerPlan: 0 } };
    expect(deferInstallmentBy(none, installments, 1, 5, shanghai('2026-02-20'), 'operator')).toMatchObject({ ok: false, error: { code: 'DEFERRAL.LIMIT_REACHED' } });
  });
});

describe('Support case rules', () => {
  it('requires an extension request to name its plan, period and days', () => {
    expect(checkNewCase({ customerId: 'c', category: 'extension_request', planId: 'p', period: 1, message: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'CASE.DAYS_REQUIRED' },
    });
    expect(checkNewCase({ customerId: 'c', category: 'extension_request', period: 1, days: 3, message: 'x' })).toMatchObject({ ok: false, error: { code: 'CASE.PLAN_REQUIRED' } });
    expect(checkNewCase({ customerId: 'c', category: 'other', days: 3, message: 'x' })).toMatchObject({ ok: false, error: { code: 'CASE.DAYS_NOT_APPLICABLE' } });
    expect(checkNewCase({ customerId: 'c', category: 'other', message: '\u202e\u200b ' })).toMatchObject({ ok: false, error: { code: 'CASE.MESSAGE_EMPTY', field: 'message' } });
    expect(checkNewCase({ customerId: 'c', category: 'refund', message: ' 退款\r\n谢谢 ' })).toEqual({ ok: true, value: { message: '退款\n谢谢' } });
  });

  it('answers on support’s message, reopens on the customer’s, and takes none once final', () => {
    expect(afterMessage(aCase(), 'operator')).toEqual({ ok: true, value: 'answered' });
    expect(afterMessage(aCase({ status: 'answered' }), 'customer')).toEqual({ ok: true, value: 'open' });
    for (const status of ['closed', 'approved', 'declined'] as const) {
      expect(afterMessage(aCase({ status }), 'customer')).toMatchObject({ ok: false, error: { code: 'CASE.CLOSED' } });
      expect(checkClose(aCase({ status }))).toMatchObject({ ok: false, error: { code: 'CASE.CLOSED' } });
    }
  });

  it('decides only an undecided extension request, and declines only with a reason', () => {
    expect(checkDecision(aCase({ status: 'answered' }))).toMatchObject({ ok: true });
    expect(checkDecision(aCase({ category: 'refund' }))).toMatchObject({ ok: false, error: { code: 'CASE.NOT_AN_EXTENSION_REQUEST' } });
    expect(checkDecision(aCase({ status: 'approved' }))).toMatchObject({ ok: false, error: { code: 'CASE.ALREADY_DECIDED' } });
    expect(checkDeclineReason('  ')).toMatchObject({ ok: false, error: { code: 'CASE.REASON_REQUIRED', field: 'reason' } });
    expect(subjectOf(`${'长'.repeat(100)}\nrest`)).toHaveLength(80);
  });
});
