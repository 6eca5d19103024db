/**
 * The agenda: for every installment that still needs something done, the next thing to do
 * and when. The sweep reads only what is due, so this is the one place that decides timing.
 */
import { addDays, zonedInstant } from './calendar.ts';
import type { Installment, Plan } from './plan.ts';

export type AgendaAction = { kind: 'remind'; daysBefore: number; at: Date } | { kind: 'debit'; at: Date } | { kind: 'overdue_tick'; at: Date };

export type AgendaActionKind = AgendaAction['kind'];

/** Instant of the automatic debit on the due date. */
export function debitInstant(plan: Plan, installment: Installment): Date {
  return zonedInstant(installment.dueDate, plan.policy.debitTime, plan.timeZone);
}

/**
 * When the overdue step next runs: at the start of the first local day after the grace
 * period, then at the start of every local day after the last accrual.
 */
export function overdueInstant(plan: Plan, installment: Installment): Date {
  const from = installment.lateFeeAccruedThrough ?? addDays(installment.dueDate, plan.policy.graceDays);
  return zonedInstant(addDays(from, 1), '00:00', plan.timeZone);
}

export function reminderInstant(plan: Plan, installment: Installment, daysBefore: number): Date {
  return zonedInstant(addDays(installment.dueDate, -daysBefore), plan.policy.reminderTime, plan.timeZone);
}

const UNRESOLVED: ReadonlySet<Installment['status']> = new Set(['scheduled', 'deferred', 'due', 'failed', 'overdue']);

/** The next action for an installment, or undefined when nothing more is scheduled. */
export function nextAction(plan: Plan, installment: Installment): AgendaAction | undefined {
  // An attempt that took the lock and was never recorded (its worker died), or one a wallet
  // has yet to confirm, is resolved first, whatever became of the plan meanwhile: nothing else
  // may change the installment until the gateway says what became of the money.
  if ((installment.inflightAttemptId || installment.pendingAttemptId) && UNRESOLVED.has(installment.status)) {
    // A lock is looked at when its lease ends; a wallet's confirmation at its status check.
    return { kind: 'debit', at: new Date(installment.lockUntil ?? installment.nextAttemptAt ?? debitInstant(plan, installment).toISOString()) };
  }
  if (plan.status === 'cancelled' || plan.status === 'paid_off' || plan.status === 'defaulted') return undefined;
  const candidates: AgendaAction[] = [];
  switch (installment.status) {
    case 'scheduled':
    case 'deferred': {
      // A debit held back (a closed payment rail) carries its own next attempt time.
      const debitAt = installment.nextAttemptAt ? new Date(installment.nextAttemptAt) : debitInstant(plan, installment);
      for (const daysBefore of plan.policy.reminderDaysBefore) {
        if (installment.remindersSent.includes(daysBefore)) continue;
        const at = reminderInstant(plan, installment, daysBefore);
        if (at < debitAt) candidates.push({ kind: 'remind', daysBefore, at });
      }
      candidates.push({ kind: 'debit', at: debitAt });
      break;
    }
    case 'due':
    case 'failed': {
      if (installment.nextAttemptAt && !installment.needsCustomerAction) {
        candidates.push({ kind: 'debit', at: new Date(installment.nextAttemptAt) });
      }
      candidates.push({ kind: 'overdue_tick', at: overdueInstant(plan, installment) });
      break;
    }
    case 'overdue': {
      if (installment.nextAttemptAt && !installment.needsCustomerAction) {
        candidates.push({ kind: 'debit', at: new Date(installment.nextAttemptAt) });
      }
      candidates.push({ kind: 'overdue_tick', at: overdueInstant(plan, installment) });
      break;
    }
    case 'paid':
    case 'cancelled':
      return undefined;
  }
  return candidates.reduce<AgendaAction | undefined>((a, b) => (a === undefined || b.at < a.at ? b : a), undefined);
}
