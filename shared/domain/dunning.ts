/**
 * Dunning: how a debit outcome changes an installment, and when the next try happens.
 */
import { addDays, localDateOf, zonedInstant } from './calendar.ts';
import type { Installment, Plan } from './plan.ts';

export const RETRYABLE_DECLINES = ['insufficient_funds', 'processing_error', 'timeout', 'issuer_unavailable'] as const;
/**
 * Declines that retrying cannot fix: the customer must act (bind another method, or pay
 * themselves — `authentication_required`: the bank wants them to confirm, which an automatic
 * debit cannot do).
 */
export const TERMINAL_DECLINES = ['card_expired', 'account_closed', 'method_revoked', 'invalid_method', 'authentication_required'] as const;
export type DeclineCode = (typeof RETRYABLE_DECLINES)[number] | (typeof TERMINAL_DECLINES)[number];

export function isRetryable(code: string): boolean {
  return (RETRYABLE_DECLINES as readonly string[]).includes(code);
}

/**
 * When a retryable decline of attempt number `attemptNumber` is tried again: at the next
 * retry offset after the due date, or, once those are used up, every `overdueRetryDays`.
 */
export function nextRetryAt(plan: Plan, installment: Installment, attemptNumber: number, now: Date): Date {
  const { retryOffsetsDays, overdueRetryDays, debitTime } = plan.policy;
  const offset = retryOffsetsDays[attemptNumber - 1];
  if (offset !== undefined) {
    const at = zonedInstant(addDays(installment.dueDate, offset), debitTime, plan.timeZone);
    if (at > now) return at;
  }
  const today = localDateOf(now, plan.timeZone);
  return zonedInstant(addDays(today, overdueRetryDays), debitTime, plan.timeZone);
}

/** How long to wait for a wallet's confirmation before asking the gateway ourselves. */
export const PENDING_CHECK_MS = 30 * 60_000;

/** The installment while a wallet debit awaits confirmation: a status check is scheduled. */
export function applyPending(installment: Installment, attemptId: string, now: Date): Installment {
  // An overdue installment stays overdue (late fees, scopes, deferral rules) while it waits.
  const status = installment.status === 'overdue' ? 'overdue' : 'due';
  return { ...installment, status, pendingAttemptId: attemptId, nextAttemptAt: new Date(now.getTime() + PENDING_CHECK_MS).toISOString() };
}

/** The installment after a successful debit of `amount`. */
export function applyPayment(installment: Installment, amount: number, at: Date): Installment {
  const amountPaid = installment.amountPaid + amount;
  const settled = amountPaid >= installment.principal + installment.fee + installment.lateFee;
  const { nextAttemptAt: _n, lastFailureCode: _l, needsCustomerAction: _c, pendingAttemptId: _p, ...rest } = installment;
  if (settled) return { ...rest, amountPaid, status: 'paid', paidAt: at.toISOString() };
  const { pendingAttemptId: _q, ...unsettled } = installment;
  return { ...unsettled, amountPaid };
}

/**
 * The installment after a declined debit: failed with a retry scheduled, or — for a decline
 * that retrying cannot fix — the method is set aside and the customer must act.
 */
export function applyDecline(plan: Plan, installment: Installment, code: string, attemptNumber: number, now: Date, methodId?: string): Installment {
  const retryable = isRetryable(code);
  const status = installment.status === 'overdue' ? 'overdue' : 'failed';
  const { nextAttemptAt: _n, needsCustomerAction: _c, pendingAttemptId: _p, ...rest } = installment;
  if (retryable)
    return withFailureNotice({ ...rest, status, lastFailureCode: code, nextAttemptAt: nextRetryAt(plan, installment, attemptNumber, now).toISOString() }, attemptNumber);
  const failedMethodIds = methodId ? [...new Set([...(installment.failedMethodIds ?? []), methodId])] : installment.failedMethodIds;
  return withFailureNotice({ ...rest, status, lastFailureCode: code, needsCustomerAction: true, ...(failedMethodIds ? { failedMethodIds } : {}) }, attemptNumber);
}

/** The customer bound another method: an installment waiting for them is tried again at `at`. */
export function retryAfterCustomerAction(installment: Installment, at: Date): Installment {
  if (!installment.needsCustomerAction) return installment;
  const { needsCustomerAction: _c, ...rest } = installment;
  // Should the new method fail for good too, that is news again.
  const told = (installment.failureNoticesSent ?? []).filter((r) => r !== 'needs_new_method');
  return { ...rest, nextAttemptAt: at.toISOString(), failureNoticesSent: told };
}

/**
 * What a failed debit tells the customer that they have not heard: the first failure of the
 * installment, that it is now overdue, or that it needs a new method. A retry that fails with
 * nothing new (the same card declined again on day 3) is recorded and shown in the app, not
 * texted. (The plan's default has a notice of its own.)
 */
export type FailureNoticeReason = 'first_failure' | 'turned_overdue' | 'needs_new_method';

export function failureNoticeReason(declined: Pick<Installment, 'status' | 'needsCustomerAction' | 'failureNoticesSent'>): FailureNoticeReason | undefined {
  const reason: FailureNoticeReason = declined.needsCustomerAction ? 'needs_new_method' : declined.status === 'overdue' ? 'turned_overdue' : 'first_failure';
  return (declined.failureNoticesSent ?? []).includes(reason) ? undefined : reason;
}

/** The installment after a decline, with the notice decision recorded (so a re-publication decides alike). */
function withFailureNotice(declined: Installment, attemptNumber: number): Installment {
  const reason = failureNoticeReason(declined);
  if (!reason) return declined;
  return { ...declined, failureNoticesSent: [...(declined.failureNoticesSent ?? []), reason], failureToldAttempt: attemptNumber };
}
