/** Builds the billing events of a plan's changes; ids are deterministic so re-publication dedupes. */
import { localDateOf } from '../domain/calendar.ts';
import type { BillingEvent } from '../domain/events.ts';
import { amountDue, type Installment, type Plan, summarize } from '../domain/plan.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';

function envelope(plan: Plan, id: string, occurredAt: Date) {
  return {
    id,
    version: 1 as const,
    occurredAt: occurredAt.toISOString(),
    planId: plan.planId,
    customerId: plan.customerId,
    productName: plan.productName,
    timeZone: plan.timeZone,
  };
}

export function reminderDue(plan: Plan, inst: Installment, daysBefore: number, debitAt: Date, now: Date): BillingEvent {
  return {
    ...envelope(plan, `reminder:${plan.planId}:${inst.period}:${inst.dueDate}:${daysBefore}`, now),
    type: 'InstallmentReminderDue',
    period: inst.period,
    dueDate: inst.dueDate,
    debitAt: debitAt.toISOString(),
    amount: { amount: amountDue(inst), currency: plan.currency },
    daysBefore,
  };
}

/** Events that follow a recorded repayment: succeeded (and paid off), or failed. */
export function repaymentEvents(plan: Plan, installments: readonly Installment[], record: RepaymentRecord, now: Date): BillingEvent[] {
  if (record.status === 'succeeded') {
    const summary = summarize(installments);
    const events: BillingEvent[] = [
      {
        ...envelope(plan, `repayment-succeeded:${record.id}`, now),
        type: 'RepaymentSucceeded',
        repaymentId: record.id,
        periods: record.periods,
        amount: { amount: record.amount, currency: record.currency },
        periodsLeft: summary.unpaidPeriods,
        nextDueDate: summary.nextDueDate,
      },
    ];
    if (plan.status === 'paid_off') {
      events.push({
        ...envelope(plan, `plan-paid-off:${plan.planId}`, now),
        type: 'PlanPaidOff',
        totalPaid: { amount: plan.amountPaid, currency: plan.currency },
      });
    }
    return events;
  }
  const period = record.periods[0]!;
  const inst = installments.find((i) => i.period === period);
  // Told only when it is news (dunning.ts failureNoticeReason), and at most once per plan per
  // local day of the attempt: the notice's dedupe key is the event id.
  const attempt = Number(record.id.split(':').pop());
  const notify = record.kind === 'auto' && inst?.failureToldAttempt === attempt;
  const day = localDateOf(new Date(record.createdAt), plan.timeZone);
  return [
    {
      ...envelope(plan, notify ? `repayment-failed:${plan.planId}:${day}` : `repayment-failed:${record.id}`, now),
      type: 'RepaymentFailed',
      repaymentId: record.id,
      period,
      amount: { amount: record.amount, currency: record.currency },
      failureCode: record.failureCode ?? 'processing_error',
      retryable: inst?.nextAttemptAt !== undefined && !inst.needsCustomerAction,
      nextAttemptAt: inst?.needsCustomerAction ? null : (inst?.nextAttemptAt ?? null),
      notify,
    },
  ];
}

export function installmentOverdue(plan: Plan, inst: Installment, daysOverdue: number, now: Date): BillingEvent {
  return {
    ...envelope(plan, `overdue:${plan.planId}:${inst.period}:${daysOverdue}`, now),
    type: 'InstallmentOverdue',
    period: inst.period,
    amountDue: { amount: amountDue(inst), currency: plan.currency },
    daysOverdue,
  };
}

/** The plan defaulted; `amountDue` is everything left, all due at once (acceleration). */
export function planDefaulted(plan: Plan, now: Date, amountDue?: number): BillingEvent {
  return {
    ...envelope(plan, `plan-defaulted:${plan.planId}`, now),
    type: 'PlanDefaulted',
    ...(amountDue === undefined ? {} : { amountDue: { amount: amountDue, currency: plan.currency } }),
  };
}

export function planCancelled(plan: Plan, refundTotal: number, now: Date): BillingEvent {
  return { ...envelope(plan, `plan-cancelled:${plan.planId}`, now), type: 'PlanCancelled', refundTotal: { amount: refundTotal, currency: plan.currency } };
}
