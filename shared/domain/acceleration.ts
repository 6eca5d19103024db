/**
 * Default and acceleration. When a plan defaults (an installment `defaultAfterDays` overdue),
 * every unpaid installment falls due that day: it is `overdue`, carries `acceleratedOn`, its due
 * date becomes the default day (the one it had is kept in `acceleratedFrom`), automatic debits
 * stop, and fees it had not yet earned are dropped exactly as an early payoff on that day would
 * drop them, under the plan's own `payoffFees` (allocation.ts `payoffQuote`). What is due is then everything left, and `scope:
 * overdue` pays it; paying it all settles the plan.
 *
 * A partial catch-up reinstates the plan once no unpaid installment is `defaultAfterDays`
 * overdue by its own schedule: accelerated installments go back to their own due dates and
 * fees, the plan takes the status they imply (`overdue` or `active`), and automatic debits
 * resume. While one still is, the plan stays `defaulted`.
 */
import { payoffQuote } from './allocation.ts';
import { addDays, type LocalDate, zonedInstant } from './calendar.ts';
import { daysOverdue } from './late-fees.ts';
import { type Installment, isUnpaid, type Plan, type PlanStatus } from './plan.ts';
import { payoffFeePolicy } from './policy.ts';

/** The unpaid installments as they are after the plan defaulted on local day `on` (only those that change). */
export function accelerate(plan: Plan, installments: readonly Installment[], on: LocalDate): Installment[] {
  const quote = payoffQuote(
    installments.filter((i) => i.status !== 'cancelled'),
    on,
    plan.fee.model,
    payoffFeePolicy(plan.policy),
    plan.purchaseDate,
  );
  const waived = new Map(quote.items.map((item) => [item.period, item.waived]));
  return installments
    .filter((i) => isUnpaid(i) && i.acceleratedOn === undefined)
    .map((i): Installment => {
      const { nextAttemptAt: _n, needsCustomerAction: _c, ...rest } = i;
      const w = waived.get(i.period) ?? 0;
      const moved = i.dueDate > on;
      return {
        ...rest,
        status: 'overdue',
        acceleratedOn: on,
        ...(moved ? { dueDate: on, acceleratedFrom: i.dueDate } : {}),
        ...(w > 0 ? { fee: i.fee - w, waivedFee: (i.waivedFee ?? 0) + w } : {}),
        overdueSince: i.overdueSince ?? on,
      };
    });
}

/** The due date an installment has by its own schedule (before any acceleration). */
export function scheduledDueDate(installment: Installment): LocalDate {
  return installment.acceleratedFrom ?? installment.dueDate;
}

/**
 * After a payment on a defaulted plan, on local day `today` at `now`: the plan's status, and
 * the installments reinstated (only those that change). Unchanged when the plan is not
 * defaulted, is settled, or an installment is still `defaultAfterDays` overdue.
 */
export function afterCatchUp(plan: Plan, installments: readonly Installment[], today: LocalDate, now: Date): { status: PlanStatus; reinstated: Installment[] } {
  const unpaid = installments.filter(isUnpaid);
  if (plan.status !== 'defaulted' || unpaid.length === 0) return { status: plan.status, reinstated: [] };
  const { graceDays, defaultAfterDays, reminderDaysBefore, debitTime } = plan.policy;
  if (unpaid.some((i) => daysOverdue(scheduledDueDate(i), graceDays, today) >= defaultAfterDays)) return { status: 'defaulted', reinstated: [] };

  const reinstated = unpaid
    .filter((i) => i.acceleratedOn !== undefined)
    .map((i): Installment => {
      const { acceleratedOn: _a, acceleratedFrom: _f, waivedFee, ...rest } = i;
      const dueDate = scheduledDueDate(i);
      const overdue = daysOverdue(dueDate, graceDays, today) >= 1;
      const base = { ...rest, dueDate, fee: i.fee + (waivedFee ?? 0) };
      if (overdue) return { ...base, status: 'overdue', nextAttemptAt: zonedInstant(addDays(today, 1), debitTime, plan.timeZone).toISOString() };
      // Not overdue by its own schedule: debited on its due date again. Reminders whose time has
      // passed are not sent late (they would say "in 3 days" of a date that is nearer).
      const { overdueSince: _s, ...scheduled } = base;
      const passed = reminderDaysBefore.filter((d) => zonedInstant(addDays(dueDate, -d), plan.policy.reminderTime, plan.timeZone) <= now);
      return { ...scheduled, status: 'scheduled', remindersSent: [...new Set([...i.remindersSent, ...passed])] };
    });
  const after = installments.map((i) => reinstated.find((r) => r.period === i.period) ?? i);
  return { status: after.some((i) => i.status === 'overdue') ? 'overdue' : 'active', reinstated };
}
