/**
 * Deferral: a customer moves one unpaid installment's due date. The new due date is measured
 * from the later of its due date and today, so it never lands in the past, and must come before
 * the next period's due date. An installment in grace (its due date has passed, or its debit was
 * declined, and it is not yet overdue) may be deferred only when the policy says `deferInGrace`.
 * Reminders whose time for the new date has already passed are counted as sent: a late one
 * would speak of "3 days" that are no longer there.
 */
import { addDays, type LocalDate, localDateOf, zonedInstant } from './calendar.ts';
import { type Installment, isUnpaid, type Plan } from './plan.ts';
import { type Refused, type Result, refuse } from './result.ts';

export interface Deferral {
  installment: Installment;
  newDueDate: LocalDate;
}

/** The deferred installment, or why it cannot be deferred now. */
export function deferInstallmentBy(plan: Plan, installments: readonly Installment[], period: number, days: number, now: Date): Result<Deferral, Refused<'not_found' | 'conflict'>> {
  const { policy } = plan;
  const inst = installments.find((i) => i.period === period);
  if (!inst) return refuse('not_found', 'INSTALLMENT.NOT_FOUND', `plan ${plan.planId} has no period ${period}`);
  if (plan.status !== 'active' && plan.status !== 'overdue') return refuse('conflict', 'PLAN.NOT_ACTIVE', `plan ${plan.planId} is ${plan.status.replace('_', ' ')}`);
  if (!isUnpaid(inst)) return refuse('conflict', 'INSTALLMENT.ALREADY_PAID', `period ${inst.period} is ${inst.status}`);
  if (inst.status === 'overdue') return refuse('conflict', 'INSTALLMENT.OVERDUE', `period ${inst.period} is overdue and can no longer be deferred`);
  if (inst.pendingAttemptId || inst.inflightAttemptId)
    return refuse('conflict', 'INSTALLMENT.PAYMENT_IN_PROGRESS', 'a payment on this installment is in progress; try again later', { retryAfterSeconds: 60 });
  const today = localDateOf(now, plan.timeZone);
  const inGrace = today > inst.dueDate || inst.status === 'failed';
  if (inGrace && !policy.deferInGrace) {
    return refuse(
      'conflict',
      'DEFERRAL.IN_GRACE',
      `period ${inst.period} was due on ${inst.dueDate} and is in its grace period; this plan allows deferring only before the due date`,
    );
  }
  if (days < 1 || days > policy.maxDeferralDays) return refuse('conflict', 'DEFERRAL.TOO_LONG', `an installment can be deferred by 1 to ${policy.maxDeferralDays} days`);
  if (plan.deferralsUsed >= policy.maxDeferralsPerPlan) {
    return refuse('conflict', 'DEFERRAL.LIMIT_REACHED', `this plan allows ${policy.maxDeferralsPerPlan} deferral(s) and has used them`);
  }
  // From the due date, or from today when that has passed (ISO dates compare as text).
  let from = inst.dueDate;
  if (today > from) from = today;
  const newDueDate = addDays(from, days);
  const next = installments.find((i) => i.period === inst.period + 1);
  if (next && newDueDate >= next.dueDate) {
    return refuse('conflict', 'DEFERRAL.OVERLAPS_NEXT', `the new due date ${newDueDate} would reach the next installment's (${next.dueDate})`);
  }
  const { nextAttemptAt: _n, needsCustomerAction: _c, lastFailureCode: _l, failureNoticesSent: _f, failureToldAttempt: _t, ...rest } = inst;
  const passed = policy.reminderDaysBefore.filter((d) => zonedInstant(addDays(newDueDate, -d), policy.reminderTime, plan.timeZone) <= now);
  return {
    ok: true,
    value: {
      newDueDate,
      installment: { ...rest, status: 'deferred', dueDate: newDueDate, originalDueDate: inst.originalDueDate ?? inst.dueDate, remindersSent: passed },
    },
  };
}
