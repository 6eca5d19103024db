/**
 * What a customer (or the merchant) can do to a plan.
 *
 * repay-plan — input: plan, scope (`next` | `overdue` | `payoff` | `amount`), amount, method,
 * idempotency key; output: the succeeded repayment, or a refusal (nothing payable, payment in
 * flight, declined). Primary course: work out the amount and its allocation → lock the
 * installments it touches → charge once under a key derived from the idempotency key →
 * record repayment, installments and plan in one transaction → publish the outcome.
 *
 * quote-payoff — what paying everything today costs, itemised.
 * defer-installment — moves one unpaid, not-yet-overdue installment by 1–maxDeferralDays days.
 * cancel-plan — the order was returned: unpaid installments are cancelled, paid amounts listed
 * for refund.
 */
import { createHash } from 'node:crypto';
import { allocatePayment, payoffQuote, type PayoffQuote } from '../domain/allocation.ts';
import { addDays, localDateOf } from '../domain/calendar.ts';
import { debitOrder } from '../domain/customer.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { BillingEvent } from '../domain/events.ts';
import { amountDue, isUnpaid, type Installment, type Plan } from '../domain/plan.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';
import { ok, refuse, type Result } from '../domain/result.ts';
import { repaymentEvents } from './billing-events.ts';
import type { Deps } from './deps.ts';
import { afterPayment, chargeOnce, type Settled } from './run-agenda-action.ts';

export type RepaymentScope = 'next' | 'overdue' | 'payoff' | 'amount';

const PAYMENT_LEASE_MS = 2 * 60_000;

type ActionDeps = Pick<Deps, 'plans' | 'customers' | 'gateway' | 'events' | 'clock' | 'logger'>;

async function loadPlan(deps: Pick<Deps, 'plans'>, planId: string) {
  const detail = await deps.plans.get(planId);
  if (!detail) throw new NotFoundError('plan', planId);
  return detail;
}

export async function quotePayoff(deps: Pick<Deps, 'plans' | 'clock'>, planId: string): Promise<Result<PayoffQuote & { asOf: string; currency: string }>> {
  const { plan, installments } = await loadPlan(deps, planId);
  if (!installments.some(isUnpaid)) return refuse('PLAN.NOTHING_OUTSTANDING', `plan ${planId} has nothing left to pay`);
  const today = localDateOf(deps.clock.now(), plan.timeZone);
  // Paid installments owe nothing but tell where the current period starts.
  const quote = payoffQuote(installments.filter((i) => i.status !== 'cancelled'), today, plan.fee.model, plan.policy.waiveFeesOnPayoff, plan.purchaseDate);
  return ok({ ...quote, asOf: today, currency: plan.currency });
}

export interface RepayInput {
  planId: string;
  scope: RepaymentScope;
  amount?: number;
  paymentMethodId?: string;
  idempotencyKey: string;
}

/** The installments a repayment changes, before the charge: amounts owed and waivers applied. */
function planRepayment(plan: Plan, installments: Installment[], input: RepayInput, today: string): Result<{ amount: number; touched: Installment[] }> {
  const unpaid = installments.filter(isUnpaid).sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.period - b.period);
  if (unpaid.length === 0) return refuse('PLAN.NOTHING_OUTSTANDING', 'this plan has nothing left to pay');
  switch (input.scope) {
    case 'next': {
      const next = unpaid[0]!;
      return ok({ amount: amountDue(next), touched: [next] });
    }
    case 'overdue': {
      const overdue = unpaid.filter((i) => i.status === 'overdue');
      if (overdue.length === 0) return refuse('REPAYMENT.NOTHING_OVERDUE', 'no installment of this plan is overdue');
      return ok({ amount: overdue.reduce((s, i) => s + amountDue(i), 0), touched: overdue });
    }
    case 'payoff': {
      const quote = payoffQuote(installments.filter((i) => i.status !== 'cancelled'), today, plan.fee.model, plan.policy.waiveFeesOnPayoff, plan.purchaseDate);
      const waived = new Map(quote.items.map((item) => [item.period, item.waived]));
      const touched = unpaid.map((i) => {
        const w = waived.get(i.period) ?? 0;
        return w > 0 ? { ...i, fee: i.fee - w, waivedFee: (i.waivedFee ?? 0) + w } : i;
      });
      return ok({ amount: quote.total, touched });
    }
    case 'amount': {
      const outstanding = unpaid.reduce((s, i) => s + amountDue(i), 0);
      if (input.amount === undefined) return refuse('REPAYMENT.AMOUNT_REQUIRED', 'scope "amount" needs an amount');
      if (input.amount > outstanding) {
        return refuse('REPAYMENT.AMOUNT_EXCEEDS_OUTSTANDING', `the amount exceeds what is outstanding (${outstanding})`);
      }
      const allocation = allocatePayment(unpaid, input.amount);
      const periods = new Set(allocation.applied.map((a) => a.period));
      return ok({ amount: input.amount, touched: unpaid.filter((i) => periods.has(i.period)) });
    }
  }
}

export async function repayPlan(deps: ActionDeps, input: RepayInput): Promise<Result<{ repayment: RepaymentRecord; plan: Plan; installments: Installment[] }>> {
  const { plan, installments } = await loadPlan(deps, input.planId);
  if (plan.status === 'cancelled' || plan.status === 'paid_off') {
    return refuse('PLAN.NOT_PAYABLE', `plan ${plan.planId} is ${plan.status.replace('_', ' ')}`);
  }
  const now = deps.clock.now();
  const planned = planRepayment(plan, installments, input, localDateOf(now, plan.timeZone));
  if (!planned.ok) return planned;
  const { amount, touched } = planned.value;
  if (amount <= 0) return refuse('PLAN.NOTHING_OUTSTANDING', 'nothing is payable for this scope');

  const methods = debitOrder(await deps.customers.listPaymentMethods(plan.customerId), input.paymentMethodId ?? plan.paymentMethodId);
  const method = methods[0];
  if (!method || (input.paymentMethodId && method.paymentMethodId !== input.paymentMethodId)) {
    return refuse('PAYMENT_METHOD.NOT_FOUND', input.paymentMethodId ? `payment method ${input.paymentMethodId} is not bound` : 'bind a payment method first');
  }

  // The same idempotency key always means the same gateway charge, even after a crash.
  const id = `${plan.planId}:manual:${createHash('sha256').update(input.idempotencyKey).digest('hex').slice(0, 16)}`;
  const periods = touched.map((i) => i.period);
  if (touched.some((i) => i.pendingAttemptId)) {
    return refuse('REPAYMENT.IN_PROGRESS', 'an automatic debit of this installment awaits the wallet\'s confirmation; try again later');
  }
  if (!(await deps.plans.lockForPayment(plan.planId, periods, id, new Date(now.getTime() + PAYMENT_LEASE_MS), now))) {
    return refuse('REPAYMENT.IN_PROGRESS', 'a payment on this installment is in progress; try again in a minute');
  }
  const charged = await chargeOnce(deps, {
    idempotencyKey: id,
    token: method.token,
    methodType: method.type,
    amount,
    currency: plan.currency,
    planId: plan.planId,
    mode: 'customer_present',
    resume: true,
  }).catch(async (err: unknown) => {
    await deps.plans.unlock(plan.planId, periods, id);
    throw err;
  });
  // The customer confirms a payment they make themselves at once; "pending" would be a gateway fault.
  const result: Settled = 'pending' in charged ? { captured: false, code: 'processing_error' } : charged;

  const record: RepaymentRecord = {
    id,
    planId: plan.planId,
    kind: 'manual',
    periods,
    amount,
    currency: plan.currency,
    paymentMethodId: method.paymentMethodId,
    paymentMethodDisplay: method.display,
    status: result.captured ? 'succeeded' : 'failed',
    ...(result.captured ? { gatewayReference: result.reference } : { failureCode: result.code }),
    createdAt: now.toISOString(),
  };
  if (!result.captured) {
    await deps.plans.commit({ plan, installments: [], record, guard: { kind: 'lock', lockId: id } });
    await deps.plans.unlock(plan.planId, periods, id);
    return refuse('REPAYMENT.DECLINED', `the payment was declined: ${result.code}`);
  }

  const allocation = allocatePayment(touched, amount);
  const paidNow = new Map(allocation.applied.map((a) => [a.period, a]));
  const updated = touched.map((i): Installment => {
    const applied = paidNow.get(i.period);
    if (!applied) return i;
    const amountPaid = i.amountPaid + applied.total;
    if (!applied.settled) return { ...i, amountPaid };
    const { nextAttemptAt: _n, lastFailureCode: _l, needsCustomerAction: _c, ...rest } = i;
    return { ...rest, amountPaid, status: 'paid', paidAt: now.toISOString() };
  });
  const all = installments.map((i) => updated.find((u) => u.period === i.period) ?? i);
  const updatedPlan = afterPayment(plan, all, amount);
  if (!(await deps.plans.commit({ plan: updatedPlan, installments: updated, record, guard: { kind: 'lock', lockId: id } }))) {
    // The lock was lost (lease ended); the charge is idempotent under `id`, so a retry records it.
    throw new Error(`repayment ${id}: lost the installment lock before recording`);
  }
  await deps.events.publish(repaymentEvents(updatedPlan, all, record, now));
  return ok({ repayment: record, plan: updatedPlan, installments: all });
}

export async function deferInstallment(
  deps: Pick<Deps, 'plans' | 'events' | 'clock'>,
  input: { planId: string; period: number; days: number },
): Promise<Result<{ plan: Plan; installments: Installment[] }>> {
  const { plan, installments } = await loadPlan(deps, input.planId);
  const { policy } = plan;
  const inst = installments.find((i) => i.period === input.period);
  if (!inst) return refuse('INSTALLMENT.NOT_FOUND', `plan ${plan.planId} has no period ${input.period}`);
  if (plan.status !== 'active' && plan.status !== 'overdue') return refuse('PLAN.NOT_ACTIVE', `plan ${plan.planId} is ${plan.status.replace('_', ' ')}`);
  if (!isUnpaid(inst)) return refuse('INSTALLMENT.ALREADY_PAID', `period ${inst.period} is ${inst.status}`);
  if (inst.status === 'overdue') return refuse('INSTALLMENT.OVERDUE', `period ${inst.period} is overdue and can no longer be deferred`);
  if (input.days < 1 || input.days > policy.maxDeferralDays) {
    return refuse('DEFERRAL.TOO_LONG', `an installment can be deferred by 1 to ${policy.maxDeferralDays} days`);
  }
  if (plan.deferralsUsed >= policy.maxDeferralsPerPlan) {
    return refuse('DEFERRAL.LIMIT_REACHED', `this plan allows ${policy.maxDeferralsPerPlan} deferral(s) and has used them`);
  }
  const newDueDate = addDays(inst.dueDate, input.days);
  const next = installments.find((i) => i.period === inst.period + 1);
  if (next && newDueDate >= next.dueDate) {
    return refuse('DEFERRAL.OVERLAPS_NEXT', `the new due date ${newDueDate} would reach the next installment's (${next.dueDate})`);
  }
  const now = deps.clock.now();
  const { nextAttemptAt: _n, needsCustomerAction: _c, lastFailureCode: _l, ...rest } = inst;
  const deferred: Installment = { ...rest, status: 'deferred', dueDate: newDueDate, originalDueDate: inst.originalDueDate ?? inst.dueDate, remindersSent: [] };
  const updatedPlan: Plan = { ...plan, deferralsUsed: plan.deferralsUsed + 1 };
  if (!(await deps.plans.commit({ plan: updatedPlan, installments: [deferred], guard: { kind: 'unlocked', now } }))) {
    return refuse('INSTALLMENT.PAYMENT_IN_PROGRESS', 'a payment on this installment is in progress; try again in a minute');
  }
  const event: BillingEvent = {
    id: `deferred:${plan.planId}:${inst.period}:${newDueDate}`,
    version: 1,
    occurredAt: now.toISOString(),
    planId: plan.planId,
    customerId: plan.customerId,
    productName: plan.productName,
    timeZone: plan.timeZone,
    type: 'InstallmentDeferred',
    period: inst.period,
    newDueDate,
  };
  await deps.events.publish([event]);
  return ok({ plan: updatedPlan, installments: installments.map((i) => (i.period === inst.period ? deferred : i)) });
}

export async function cancelPlan(
  deps: Pick<Deps, 'plans' | 'clock'>,
  planId: string,
): Promise<Result<{ plan: Plan; installments: Installment[]; refundable: Array<{ repaymentId: string; amount: number }>; refundTotal: number }>> {
  const { plan, installments } = await loadPlan(deps, planId);
  if (plan.status === 'cancelled') return refuse('PLAN.ALREADY_CANCELLED', `plan ${planId} is already cancelled`);
  const now = deps.clock.now();
  const cancelled = installments.filter(isUnpaid).map((i): Installment => {
    const { nextAttemptAt: _n, needsCustomerAction: _c, ...rest } = i;
    return { ...rest, status: 'cancelled' };
  });
  const updatedPlan: Plan = { ...plan, status: 'cancelled', cancelledAt: now.toISOString() };
  if (!(await deps.plans.commit({ plan: updatedPlan, installments: cancelled, guard: { kind: 'unlocked', now } }))) {
    return refuse('PLAN.PAYMENT_IN_PROGRESS', 'a payment on this plan is in progress; try again in a minute');
  }
  const refundable = (await deps.plans.listRepayments(planId))
    .filter((r) => r.status === 'succeeded')
    .map((r) => ({ repaymentId: r.id, amount: r.amount }));
  return ok({
    plan: updatedPlan,
    installments: installments.map((i) => cancelled.find((c) => c.period === i.period) ?? i),
    refundable,
    refundTotal: refundable.reduce((s, r) => s + r.amount, 0),
  });
}
