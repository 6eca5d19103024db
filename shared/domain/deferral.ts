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

/**
 * Who grants a deferral. `customer`: self-service, within the policy's limits. `operator`: an
 * extension request approved by support, which may go beyond them within hard limits: up to
 * twice `maxDeferralsPerPlan` deferrals per plan and twice `maxDeferralDays` days, in grace or
 * overdue whatever `deferInGrace` says — never for a plan that has defaulted, never on or past
 * the next period's due date, and never when the frozen policy allows no deferral at all
 * (`maxDeferralsPerPlan: 0`).
 */
export type DeferralAuthority = 'customer' | 'operator';

/** Self-service refusals an operator may still grant: the refusal then points to an extension request. */
const OPERATOR_MAY_GRANT: ReadonlySet<string> = new Set(['DEFERRAL.IN_GRACE', 'DEFERRAL.TOO_LONG', 'DEFERRAL.LIMIT_REACHED', 'INSTALLMENT.OVERDUE']);

/** How far an operator may go beyond the self-service limits (a multiple of each). */
export const OPERATOR_LIMIT_FACTOR = 2;

/** The deferred installment, or why it cannot be deferred now. */
export function deferInstallmentBy(
  plan: Plan,
  installments: readonly Installment[],
  period: number,
  days: number,
  now: Date,
  by: DeferralAuthority = 'customer',
): Result<Deferral, Refused<'not_found' | 'conflict'>> {
  const decided = decide(plan, installments, period, days, now, by);
  if (decided.ok || by === 'operator' || !OPERATOR_MAY_GRANT.has(decided.error.code)) return decided;
  // Beyond self-service, within what support may grant: say where to ask.
  if (!decide(plan, installments, period, days, now, 'operator').ok) return decided;
  return {
    ok: false,
    error: {
      ...decided.error,
      details: {
        remedy: 'extension_request',
        hint: 'this is beyond self-service; open an extension request (POST /v1/support/cases with category "extension_request") and support may approve it',
      },
    },
  };
}

function decide(
  plan: Plan,
  installments: readonly Installment[],
  period: number,
  days: number,
  now: Date,
  by: DeferralAuthority,
): Result<Deferral, Refused<'not_found' | 'conflict'>> {
  const { policy } = plan;
  const operator = by === 'operator';
  const maxDays = operator ? policy.maxDeferralDays * OPERATOR_LIMIT_FACTOR : policy.maxDeferralDays;
  const maxDeferrals = operator ? policy.maxDeferralsPerPlan * OPERATOR_LIMIT_FACTOR : policy.maxDeferralsPerPlan;
  const inst = installments.find((i) => i.period === period);
  if (!inst) return refuse('not_found', 'INSTALLMENT.NOT_FOUND', `plan ${plan.planId} has no period ${period}`);
  if (plan.status !== 'active' && plan.status !== 'overdue') return refuse('conflict', 'PLAN.NOT_ACTIVE', `plan ${plan.planId} is ${plan.status.replace('_', ' ')}`);
  if (!isUnpaid(inst)) return refuse('conflict', 'INSTALLMENT.ALREADY_PAID', `period ${inst.period} is ${inst.status}`);
  if (inst.status === 'overdue' && !operator) return refuse('conflict', 'INSTALLMENT.OVERDUE', `period ${inst.period} is overdue and can no longer be deferred`);
  if (inst.pendingAttemptId || inst.inflightAttemptId)
    return refuse('conflict', 'INSTALLMENT.PAYMENT_IN_PROGRESS', 'a payment on this installment is in progress; try again later', { retryAfterSeconds: 60 });
  const today = localDateOf(now, plan.timeZone);
  const inGrace = today > inst.dueDate || inst.status === 'failed';
  if (inGrace && !policy.deferInGrace && !operator) {
    return refuse(
      'conflict',
      'DEFERRAL.IN_GRACE',
      `period ${inst.period} was due on ${inst.dueDate} and is in its grace period; this plan allows deferring only before the due date`,
    );
  }
  if (days < 1 || days > maxDays) return refuse('conflict', 'DEFERRAL.TOO_LONG', `an installment can be deferred by 1 to ${maxDays} days`);
  if (plan.deferralsUsed >= maxDeferrals) {
    return refuse('conflict', 'DEFERRAL.LIMIT_REACHED', `this plan allows ${maxDeferrals} deferral(s) and has used them`);
  }
  // From the due date, or from today when that has passed (ISO dates compare as text).
  let from = inst.dueDate;
  if (today > from) from = today;
  const newDueDate = addDays(from, days);
  const next = installments.find((i) => i.period === inst.period + 1);
  if (next && newDueDate >= next.dueDate) {
    return refuse('conflict', 'DEFERRAL.OVERLAPS_NEXT', `the new due date ${newDueDate} would reach the next installment's (${next.dueDate})`);
  }
  // An overdue installment (operator only) starts afresh from its new date: the late fee accrued
  // so far stays owed (and counts toward its cap), its overdue bookkeeping is cleared.
  const {
    nextAttemptAt: _n,
    needsCustomerAction: _c,
    lastFailureCode: _l,
    failureNoticesSent: _f,
    failureToldAttempt: _t,
    overdueSince: _o,
    lateFeeAccruedThrough: _a,
    overdueNoticesSent: _s,
    ...rest
  } = inst;
  const passed = policy.reminderDaysBefore.filter((d) => zonedInstant(addDays(newDueDate, -d), policy.reminderTime, plan.timeZone) <= now);
  return {
    ok: true,
    value: {
      newDueDate,
      installment: { ...rest, status: 'deferred', dueDate: newDueDate, originalDueDate: inst.originalDueDate ?? inst.dueDate, remindersSent: passed },
    },
  };
}
