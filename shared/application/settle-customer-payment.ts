/**
 * record-customer-payment — a customer's payment is written as `pending` (amount, periods,
 * scope, method) before the gateway is called, so whoever finds it later — the customer's
 * retry with the same key, or the agenda when the payment's lock has run out — records the
 * gateway's answer exactly as the first run would have: the same periods, the same amount.
 */

import type { PayoffQuote } from '../domain/allocation.ts';
import { allocatePayment, payoffQuote } from '../domain/allocation.ts';
import type { LocalDate } from '../domain/calendar.ts';
import { localDateOf } from '../domain/calendar.ts';
import { type Installment, isUnpaid, type Plan } from '../domain/plan.ts';
import { afterPayment } from '../domain/plan-status.ts';
import { payoffFeePolicy } from '../domain/policy.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';
import type { PlanChange, PlanDetail } from '../ports/plan-repository.port.ts';
import { repaymentEvents } from './billing-events.ts';
import type { Settled } from './charge-once.ts';
import { commitPlanChange } from './commit-plan.ts';
import type { Deps } from './deps.ts';

/**
 * The installments a payment's change writes: its own (under its guard), with a reinstatement's
 * version where it moved one of them, and the others the reinstatement moved (unlocked).
 */
export function writtenWith(own: readonly Installment[], reinstated: readonly Installment[]): Pick<PlanChange, 'installments' | 'alsoUnlocked'> {
  const installments = own.map((u) => reinstated.find((r) => r.period === u.period) ?? u);
  const alsoUnlocked = reinstated.filter((r) => !own.some((u) => u.period === r.period));
  return { installments, ...(alsoUnlocked.length > 0 ? { alsoUnlocked } : {}) };
}

/** What paying off the plan costs on local date `today`, under the fee policy the plan froze. */
export function planPayoffQuote(plan: Plan, installments: readonly Installment[], today: LocalDate): PayoffQuote {
  // Paid installments owe nothing but tell where the current period starts.
  return payoffQuote(
    installments.filter((i) => i.status !== 'cancelled'),
    today,
    plan.fee.model,
    payoffFeePolicy(plan.policy),
    plan.purchaseDate,
  );
}

/** The unpaid installments with a payoff quote's waivers applied (deducted from `fee`). */
export function withPayoffWaivers(installments: readonly Installment[], quote: PayoffQuote): Installment[] {
  const waived = new Map(quote.items.map((item) => [item.period, item.waived]));
  return installments.map((i) => {
    const w = waived.get(i.period) ?? 0;
    return w > 0 ? { ...i, fee: i.fee - w, waivedFee: (i.waivedFee ?? 0) + w } : i;
  });
}

/**
 * The installments a captured customer payment changes, with a payoff's waivers as of its day.
 * A payment of exactly the payoff amount under scope `amount` is a payoff too: it settles the
 * plan with the same waivers, never paying fees a payoff would not charge.
 */
export function customerPaymentChanges(plan: Plan, installments: readonly Installment[], record: RepaymentRecord, now: Date): Installment[] {
  const periods = new Set(record.periods);
  let touched = installments.filter((i) => periods.has(i.period) && isUnpaid(i));
  if (record.scope === 'payoff' || record.scope === 'amount') {
    const quote = planPayoffQuote(plan, installments, localDateOf(new Date(record.createdAt), plan.timeZone));
    if (record.scope === 'payoff' || (record.amount === quote.total && touched.length === installments.filter(isUnpaid).length)) touched = withPayoffWaivers(touched, quote);
  }
  const paidNow = new Map(allocatePayment(touched, record.amount).applied.map((a) => [a.period, a]));
  return touched.map((i): Installment => {
    const applied = paidNow.get(i.period);
    if (!applied) return i;
    const amountPaid = i.amountPaid + applied.total;
    // Recorded so that late fee accruing later is not read as having been paid by this.
    const lateFeePaid = (i.lateFeePaid ?? Math.min(i.lateFee, i.amountPaid)) + applied.lateFee;
    if (!applied.settled) return { ...i, amountPaid, lateFeePaid };
    const { nextAttemptAt: _n, lastFailureCode: _l, needsCustomerAction: _c, pendingAttemptId: _p, ...rest } = i;
    return { ...rest, amountPaid, status: 'paid', paidAt: now.toISOString() };
  });
}

/**
 * Records the gateway's answer for a pending customer payment that still holds its lock, and
 * releases the lock. Returns the plan after it, or undefined when someone else recorded it.
 * `current`: the plan as its payer last wrote it (a stale one only costs a conflict and a read).
 */
export async function recordCustomerPayment(
  deps: Pick<Deps, 'plans' | 'events' | 'clock'>,
  pending: RepaymentRecord,
  result: Settled,
  current?: PlanDetail,
): Promise<{ record: RepaymentRecord; plan: Plan; installments: Installment[] } | undefined> {
  const now = deps.clock.now();
  const guard = { kind: 'lock', lockId: pending.id } as const;
  const record: RepaymentRecord = {
    ...pending,
    status: result.captured ? 'succeeded' : 'failed',
    ...(result.captured ? { gatewayReference: result.reference } : { failureCode: result.code }),
  };
  let after: { plan: Plan; installments: Installment[] } | undefined;
  const written = await commitPlanChange(
    deps,
    pending.planId,
    (d) => {
      if (!result.captured) {
        after = d;
        return { plan: d.plan, installments: [], record, settlesPending: true, guard };
      }
      const updated = customerPaymentChanges(d.plan, d.installments, pending, now);
      const paid = d.installments.map((i) => updated.find((u) => u.period === i.period) ?? i);
      const settled = afterPayment(d.plan, paid, pending.amount, now, pending.periods);
      after = { plan: settled.plan, installments: settled.installments };
      return { plan: settled.plan, ...writtenWith(updated, settled.reinstated), record, settlesPending: true, guard };
    },
    current,
  );
  if (written !== 'committed' || !after) return undefined;
  if (!result.captured) await deps.plans.unlock(pending.planId, pending.periods, pending.id);
  else await deps.events.publish(repaymentEvents(after.plan, after.installments, record, now));
  return { record, ...after };
}
