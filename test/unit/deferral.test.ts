import { describe, expect, it } from 'vitest';
import { deferInstallmentBy } from '../../shared/domain/deferral.ts';
import type { Installment } from '../../shared/domain/plan.ts';
import { aPlanDetail } from '../builders/plans.ts';

// Due on the last day of each month from 28 February 2026 (Shanghai); reminders 3 and 1 days before at 10:00.
const { plan, installments } = aPlanDetail({ periods: 12, principal: 120_000 });
const withFirst = (first: Partial<Installment>) => [{ ...installments[0]!, ...first }, ...installments.slice(1)];
const shanghai = (date: string, time = '12:00') => new Date(`${date}T${time}:00+08:00`);

describe('Function: deferInstallmentBy', () => {
  it('measures from the due date while it is ahead: 28 Feb + 10 days = 10 March', () => {
    const result = deferInstallmentBy(plan, installments, 1, 10, shanghai('2026-02-20'));
    expect(result).toMatchObject({ ok: true, value: { newDueDate: '2026-03-10', installment: { status: 'deferred', originalDueDate: '2026-02-28' } } });
  });

  it('measures from today once the due date has passed, so it never lands in the past: 2 March + 1 = 3 March', () => {
    const policy = { ...plan.policy, deferInGrace: true };
    const result = deferInstallmentBy({ ...plan, policy }, withFirst({ status: 'failed', attemptCount: 2 }), 1, 1, shanghai('2026-03-02'));
    // From the due date it would be 1 March, already past.
    expect(result).toMatchObject({ ok: true, value: { newDueDate: '2026-03-03' } });
  });

  it('refuses an installment in grace unless the policy allows it', () => {
    const declined = withFirst({ status: 'failed', attemptCount: 1 });
    expect(deferInstallmentBy(plan, declined, 1, 5, shanghai('2026-03-01'))).toMatchObject({ ok: false, error: { code: 'DEFERRAL.IN_GRACE' } });
    // On its due date, declined at 09:00: in grace already.
    expect(deferInstallmentBy(plan, declined, 1, 5, shanghai('2026-02-28'))).toMatchObject({ ok: false, error: { code: 'DEFERRAL.IN_GRACE' } });
  });

  it('refuses a new due date on or after the next period’s: 31 March + 30 = 30 April is period 3’s', () => {
    expect(deferInstallmentBy(plan, installments, 2, 30, shanghai('2026-02-20'))).toMatchObject({ ok: false, error: { code: 'DEFERRAL.OVERLAPS_NEXT' } });
    expect(deferInstallmentBy(plan, installments, 2, 29, shanghai('2026-02-20'))).toMatchObject({ ok: true, value: { newDueDate: '2026-04-29' } });
  });

  it('does not send late a reminder whose time for the new date has passed', () => {
    // On 27 Feb at 12:00, both reminders sent; deferred by 1 to 1 March: its 3-day reminder
    // (26 Feb 10:00) is past and counts as sent, its 1-day reminder (28 Feb 10:00) is still ahead.
    const reminded = withFirst({ remindersSent: [3, 1] });
    const result = deferInstallmentBy(plan, reminded, 1, 1, shanghai('2026-02-27'));
    expect(result).toMatchObject({ ok: true, value: { newDueDate: '2026-03-01', installment: { remindersSent: [3] } } });
  });
});
