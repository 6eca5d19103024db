/**
 * The one place a payment decides a plan's status, whichever path brought the money (an
 * automatic debit, a wallet's or a customer's confirmation, a customer's repayment, an
 * abandoned payment the agenda finishes): the status the remaining installments imply.
 *
 * * `paid_off` once no installment is unpaid, whatever the plan was;
 * * a `defaulted` plan is reinstated by a catch-up once no unpaid installment is
 *   `defaultAfterDays` overdue by its own schedule (acceleration.ts `afterCatchUp`), and stays
 *   `defaulted` otherwise; a `cancelled` plan stays so;
 * * otherwise `overdue` while any installment is overdue, else `active`.
 */
import { afterCatchUp } from './acceleration.ts';
import { localDateOf } from './calendar.ts';
import { type Installment, isUnpaid, type Plan, type PlanStatus } from './plan.ts';

/** The status the installments imply for a plan that is not (or no longer) defaulted or cancelled. */
function impliedStatus(plan: Plan, installments: readonly Installment[]): PlanStatus {
  if (!installments.some(isUnpaid)) return 'paid_off';
  if (plan.status === 'defaulted' || plan.status === 'cancelled') return plan.status;
  return installments.some((i) => i.status === 'overdue') ? 'overdue' : 'active';
}

export interface AfterPayment {
  plan: Plan;
  /** Every installment of the plan, reinstated ones included. */
  installments: Installment[];
  /** Installments a reinstatement moved back to their own schedule (only those that change). */
  reinstated: Installment[];
}

/**
 * The plan once a payment of `amount` has been applied to `installments` at `now`: its totals,
 * its status, and the installments a reinstatement changes. `written` are the periods the
 * payment's own change writes under its lock; a reinstatement that would have to move an
 * installment someone else's payment holds waits for that payment (which decides again).
 */
export function afterPayment(plan: Plan, installments: readonly Installment[], amount: number, now: Date, written: readonly number[] = []): AfterPayment {
  const totals: Plan = { ...plan, paidPeriods: installments.filter((i) => i.status === 'paid').length, amountPaid: plan.amountPaid + amount };
  const status = impliedStatus(plan, installments);
  if (status !== 'defaulted') return { plan: { ...totals, status }, installments: [...installments], reinstated: [] };
  const caughtUp = afterCatchUp({ ...totals, status }, installments, localDateOf(now, plan.timeZone), now);
  const held = caughtUp.reinstated.some((r) => !written.includes(r.period) && r.inflightAttemptId !== undefined);
  if (held || caughtUp.status === 'defaulted') return { plan: { ...totals, status: 'defaulted' }, installments: [...installments], reinstated: [] };
  return {
    plan: { ...totals, status: caughtUp.status },
    installments: installments.map((i) => caughtUp.reinstated.find((r) => r.period === i.period) ?? i),
    reinstated: caughtUp.reinstated,
  };
}
