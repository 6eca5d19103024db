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
import { allocatePayment, type PayoffQuote } from '../domain/allocation.ts';
import { localDateOf } from '../domain/calendar.ts';
import { debitOrder, providerOf } from '../domain/customer.ts';
import { type DeferralAuthority, deferInstallmentBy } from '../domain/deferral.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { BillingEvent } from '../domain/events.ts';
import type { CurrencyCode } from '../domain/money.ts';
import { amountDue, type Installment, isUnpaid, type Plan } from '../domain/plan.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';
import { ok, type Refused, type Result, refuse } from '../domain/result.ts';
import type { NextAction } from '../ports/payment-gateway.port.ts';
import type { PlanDetail } from '../ports/plan-repository.port.ts';
import { planCancelled, repaymentEvents } from './billing-events.ts';
import { chargeOnce, chargeWith, finalizeCustomerCharge, type Settled } from './charge-once.ts';
import { commitPlanChange } from './commit-plan.ts';
import type { Deps } from './deps.ts';
import { planPayoffQuote, recordCustomerPayment, withPayoffWaivers } from './settle-customer-payment.ts';

export type RepaymentScope = 'next' | 'overdue' | 'payoff' | 'amount';

const PAYMENT_LEASE_MS = 2 * 60_000;
/** How long a customer has to confirm with the provider (3-D Secure, a wallet password). */
export const ACTION_LEASE_MS = 15 * 60_000;

type ActionDeps = Pick<Deps, 'plans' | 'customers' | 'gateway' | 'events' | 'clock' | 'logger'>;

async function loadPlan(deps: Pick<Deps, 'plans'>, planId: string) {
  const detail = await deps.plans.get(planId);
  if (!detail) throw new NotFoundError('plan', planId);
  return detail;
}

export async function quotePayoff(
  deps: Pick<Deps, 'plans' | 'clock'>,
  planId: string,
  read?: PlanDetail,
): Promise<Result<PayoffQuote & { asOf: string; currency: CurrencyCode }, Refused<'conflict'>>> {
  const { plan, installments } = read ?? (await loadPlan(deps, planId));
  if (!installments.some(isUnpaid)) return refuse('conflict', 'PLAN.NOTHING_OUTSTANDING', `plan ${planId} has nothing left to pay`);
  const today = localDateOf(deps.clock.now(), plan.timeZone);
  return ok({ ...planPayoffQuote(plan, installments, today), asOf: today, currency: plan.currency });
}

export interface RepayInput {
  planId: string;
  scope: RepaymentScope;
  amount?: number;
  paymentMethodId?: string;
  idempotencyKey: string;
  /** Who asks (the token's subject): keys are theirs, so one caller's key never finds another's payment. */
  caller?: string;
}

/** The installments a repayment changes, before the charge: amounts owed and waivers applied. */
function planRepayment(plan: Plan, installments: Installment[], input: RepayInput, today: string): Result<{ amount: number; touched: Installment[] }, Refused<'conflict'>> {
  const unpaid = installments.filter(isUnpaid).sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.period - b.period);
  if (unpaid.length === 0) return refuse('conflict', 'PLAN.NOTHING_OUTSTANDING', 'this plan has nothing left to pay');
  switch (input.scope) {
    case 'next': {
      const next = unpaid[0]!;
      return ok({ amount: amountDue(next), touched: [next] });
    }
    case 'overdue': {
      const overdue = unpaid.filter((i) => i.status === 'overdue');
      if (overdue.length === 0) return refuse('conflict', 'REPAYMENT.NOTHING_OVERDUE', 'no installment of this plan is overdue');
      return ok({ amount: overdue.reduce((s, i) => s + amountDue(i), 0), touched: overdue });
    }
    case 'payoff': {
      const quote = planPayoffQuote(plan, installments, today);
      return ok({ amount: quote.total, touched: withPayoffWaivers(unpaid, quote) });
    }
    case 'amount': {
      if (input.amount === undefined) return refuse('conflict', 'REPAYMENT.AMOUNT_REQUIRED', 'scope "amount" needs an amount');
      // Settling everything today costs the payoff amount: paying exactly that is a payoff (with
      // its waivers), and paying more would only pay fees or interest a payoff does not charge.
      const quote = planPayoffQuote(plan, installments, today);
      if (input.amount === quote.total) return ok({ amount: quote.total, touched: withPayoffWaivers(unpaid, quote) });
      if (input.amount > quote.total) {
        return refuse('conflict', 'REPAYMENT.AMOUNT_EXCEEDS_OUTSTANDING', `the amount exceeds what settling the plan costs today (${quote.total}, the payoff amount)`);
      }
      const allocation = allocatePayment(unpaid, input.amount);
      const periods = new Set(allocation.applied.map((a) => a.period));
      return ok({ amount: input.amount, touched: unpaid.filter((i) => periods.has(i.period)) });
    }
  }
}

/**
 * What a customer payment came to: `succeeded` (recorded, with the plan after it), or
 * `requires_action` — the provider wants the customer to confirm; the payment stays pending
 * under its lock until the provider's answer arrives (webhook, the same request again, or the
 * agenda once the lock's lease runs out, which cancels an abandoned verification).
 */
/** The kinds of refusal of a manual repayment. */
export type RepaymentRefusal = 'conflict' | 'not_found' | 'unprocessable' | 'declined';

export type RepayOutcome =
  | { status: 'succeeded'; repayment: RepaymentRecord; plan: Plan; installments: Installment[] }
  | { status: 'requires_action'; repayment: RepaymentRecord; next: NextAction };

/** `read`: the plan as the caller has just read it (it is read again only under the payment's lock). */
export async function repayPlan(deps: ActionDeps, input: RepayInput, read?: PlanDetail): Promise<Result<RepayOutcome, Refused<RepaymentRefusal>>> {
  // The same idempotency key always means the same gateway charge, even after a crash.
  const id = `${input.planId}:manual:${createHash('sha256')
    .update(`${input.caller ?? ''}\u0000${input.idempotencyKey}`)
    .digest('hex')
    .slice(0, 16)}`;
  const now = deps.clock.now();
  const recorded = await deps.plans.getRepayment(input.planId, id);
  if (recorded && !sameRequest(recorded, input)) {
    return refuse('unprocessable', 'IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used for another payment (scope, amount or method)');
  }
  if (recorded?.status === 'succeeded') {
    // A re-run of a repayment that was recorded (its answer or its events were lost): the same
    // answer, and its events again (deterministic ids; notices are deduplicated).
    const again = await loadPlan(deps, input.planId);
    await deps.events.publish(repaymentEvents(again.plan, again.installments, recorded, now));
    return ok({ status: 'succeeded', repayment: recorded, plan: again.plan, installments: again.installments });
  }
  if (recorded?.status === 'failed') return refuse('declined', 'REPAYMENT.DECLINED', `the payment was declined: ${recorded.failureCode ?? 'declined'}`);

  let pending = recorded;
  // The plan as stored once the pending payment is written, when this request wrote it.
  let current: PlanDetail | undefined;
  if (!pending) {
    const prepared = await preparePayment(deps, input, id, now, read);
    if (!prepared.ok) return prepared;
    ({ pending, current } = prepared.value);
  } else {
    if (!(await deps.plans.lockForPayment(input.planId, pending.periods, id, new Date(now.getTime() + PAYMENT_LEASE_MS), now))) {
      return refuse('conflict', 'REPAYMENT.IN_PROGRESS', 'this payment is still being processed; try again in a minute', { retryAfterSeconds: 60 });
    }
    // Recorded meanwhile (by the agenda, or a webhook) before this request took it over: that answer stands.
    const settled = await deps.plans.getRepayment(input.planId, id);
    if (settled && settled.status !== 'pending') {
      await deps.plans.unlock(input.planId, settled.periods, id);
      return repayPlan(deps, input, read);
    }
  }

  const customerId = (current ?? read ?? (await loadPlan(deps, input.planId))).plan.customerId;
  const methods = await deps.customers.listPaymentMethods(customerId);
  const method = methods.find((m) => m.paymentMethodId === pending.paymentMethodId);
  // A fault from here on keeps the lock: the charge may have happened, and the client's retry
  // (same key) or, after the lock's lease, the agenda finishes it from the pending record. The
  // provider that was charged is asked first, even if the method was removed meanwhile.
  const query = { idempotencyKey: id, provider: pending.provider ?? 'simulated', attemptedAt: new Date(pending.createdAt) };
  const charged = await finalizeCustomerCharge(
    deps,
    query,
    await chargeOnce(deps, {
      ...query,
      // A payment this request has just written cannot have reached the provider yet; one found
      // written by an earlier request may have.
      resume: recorded !== undefined,
      ...chargeWith(method, { amount: pending.amount, currency: pending.currency, planId: pending.planId, mode: 'customer_present' }),
      missingMethodCode: 'method_revoked',
    }),
  );
  if ('unknown' in charged) {
    return refuse('conflict', 'REPAYMENT.IN_PROGRESS', 'the payment provider has not confirmed this payment yet; retry with the same Idempotency-Key in a minute', {
      retryAfterSeconds: 60,
    });
  }
  if ('action' in charged) {
    // The customer confirms with the provider; the lock waits for them, then expires cleanly.
    await deps.plans.lockForPayment(input.planId, pending.periods, id, new Date(now.getTime() + ACTION_LEASE_MS), now, 'customer');
    return ok({ status: 'requires_action', repayment: pending, next: charged.action });
  }
  if ('pending' in charged) throw new Error(`repayment ${id}: a pending answer survived finalisation`);
  const result: Settled = charged;
  const done = await recordCustomerPayment(deps, pending, result, current);
  if (!done) throw new Error(`repayment ${id}: not recorded; a retry with the same key records it`);
  if (!result.captured) return refuse('declined', 'REPAYMENT.DECLINED', `the payment was declined: ${result.code}`);
  return ok({ status: 'succeeded', repayment: done.record, plan: done.plan, installments: done.installments });
}

/** Whether a retry asks for the payment that was written under its key. */
function sameRequest(recorded: RepaymentRecord, input: RepayInput): boolean {
  return (
    recorded.scope === input.scope &&
    (input.scope !== 'amount' || recorded.amount === input.amount) &&
    (input.paymentMethodId === undefined || recorded.paymentMethodId === input.paymentMethodId)
  );
}

/**
 * Works out the payment on a fresh read, takes the lock on what it touches, checks nothing
 * moved in between, and writes the payment as pending before any money moves.
 */
async function preparePayment(
  deps: ActionDeps,
  input: RepayInput,
  id: string,
  now: Date,
  read?: PlanDetail,
): Promise<Result<{ pending: RepaymentRecord; current: PlanDetail }, Refused<'conflict' | 'not_found'>>> {
  const seen = read ?? (await loadPlan(deps, input.planId));
  if (seen.plan.status === 'cancelled' || seen.plan.status === 'paid_off') {
    return refuse('conflict', 'PLAN.NOT_PAYABLE', `plan ${seen.plan.planId} is ${seen.plan.status.replace('_', ' ')}`);
  }
  const planned = planRepayment(seen.plan, seen.installments, input, localDateOf(now, seen.plan.timeZone));
  if (!planned.ok) return planned;
  if (planned.value.amount <= 0) return refuse('conflict', 'PLAN.NOTHING_OUTSTANDING', 'nothing is payable for this scope');
  const methods = debitOrder(await deps.customers.listPaymentMethods(seen.plan.customerId), input.paymentMethodId ?? seen.plan.paymentMethodId);
  const method = methods[0];
  if (!method || (input.paymentMethodId && method.paymentMethodId !== input.paymentMethodId)) {
    return refuse('not_found', 'PAYMENT_METHOD.NOT_FOUND', input.paymentMethodId ? `payment method ${input.paymentMethodId} is not bound` : 'bind a payment method first');
  }
  const inFlight = (touched: Installment[]) => touched.some((i) => i.pendingAttemptId || i.inflightAttemptId);
  if (inFlight(planned.value.touched))
    return refuse('conflict', 'REPAYMENT.IN_PROGRESS', 'a payment on this installment is in progress; try again later', { retryAfterSeconds: 60 });
  const periods = planned.value.touched.map((i) => i.period);
  if (!(await deps.plans.lockForPayment(seen.plan.planId, periods, id, new Date(now.getTime() + PAYMENT_LEASE_MS), now))) {
    return refuse('conflict', 'REPAYMENT.IN_PROGRESS', 'a payment on this installment is in progress; try again in a minute', { retryAfterSeconds: 60 });
  }
  // Under the lock nothing else changes these installments; but between the read and the lock
  // something may have (an auto-debit that just finished or went pending): then the customer
  // decides again.
  const fresh = await loadPlan(deps, input.planId);
  const again = planRepayment(fresh.plan, fresh.installments, input, localDateOf(now, fresh.plan.timeZone));
  const moved =
    !again.ok ||
    again.value.amount !== planned.value.amount ||
    again.value.touched.map((i) => i.period).join() !== periods.join() ||
    again.value.touched.some((i) => i.pendingAttemptId);
  const pending: RepaymentRecord = {
    id,
    planId: fresh.plan.planId,
    kind: 'manual',
    scope: input.scope,
    periods,
    amount: planned.value.amount,
    currency: fresh.plan.currency,
    paymentMethodId: method.paymentMethodId,
    paymentMethodDisplay: method.display,
    provider: providerOf(method),
    status: 'pending',
    createdAt: now.toISOString(),
  };
  let base = fresh;
  const written = moved
    ? 'lost'
    : await commitPlanChange(
        deps,
        fresh.plan.planId,
        (d) => {
          base = d;
          return {
            plan: d.plan,
            installments: [],
            record: pending,
            guard: { kind: 'lock', lockId: id },
            methodStillBound: { customerId: method.customerId, paymentMethodId: method.paymentMethodId, now },
          };
        },
        fresh,
      );
  if (written !== 'committed') {
    await deps.plans.unlock(input.planId, periods, id);
    return refuse(
      'conflict',
      'REPAYMENT.PLAN_CHANGED',
      'the plan or its payment method changed while paying (an automatic debit may have just completed, or the method is being removed); look again and retry',
      {
        retryAfterSeconds: 0,
      },
    );
  }
  // The commit wrote the record and the plan's next version, nothing else.
  return ok({ pending, current: { plan: { ...base.plan, version: (base.plan.version ?? 0) + 1 }, installments: base.installments } });
}

/**
 * `by`: who grants it (see DeferralAuthority). `caseId`: the approved extension request that
 * grants it; the installment remembers it, so approving the same case again — concurrently, or
 * after a crash between the deferral and the case's update — finds it applied and defers nothing
 * more (its event is published again: notices are deduplicated).
 */
export interface DeferInput {
  planId: string;
  period: number;
  days: number;
  by?: DeferralAuthority;
  caseId?: string;
}

export async function deferInstallment(
  deps: Pick<Deps, 'plans' | 'events' | 'clock'>,
  input: DeferInput,
  read?: PlanDetail,
): Promise<Result<{ plan: Plan; installments: Installment[]; deferred: Installment }, Refused<'conflict' | 'not_found'>>> {
  const now = deps.clock.now();
  let refusal: Result<never, Refused<'conflict' | 'not_found'>> | undefined;
  let after: { plan: Plan; installments: Installment[]; deferred: Installment } | undefined;
  // Checked and written on the same read, so two deferrals at once cannot both pass the limit.
  const written = await commitPlanChange(
    deps,
    input.planId,
    ({ plan, installments }) => {
      const done = input.caseId === undefined ? undefined : installments.find((i) => i.period === input.period && i.deferredBy === input.caseId);
      if (done) {
        refusal = undefined;
        after = { plan, installments, deferred: done };
        return undefined;
      }
      const decided = deferInstallmentBy(plan, installments, input.period, input.days, now, input.by);
      refusal = decided.ok ? undefined : decided;
      if (!decided.ok) return undefined;
      const { deferredBy: _d, ...moved } = decided.value.installment;
      const deferred: Installment = input.caseId === undefined ? moved : { ...moved, deferredBy: input.caseId };
      const others = installments.map((i) => (i.period === deferred.period ? deferred : i));
      // An overdue installment deferred by an operator is no longer overdue: the plan may be active again.
      const status = plan.status === 'overdue' && !others.some((i) => i.status === 'overdue') ? 'active' : plan.status;
      const plan2: Plan = { ...plan, status, deferralsUsed: plan.deferralsUsed + 1 };
      after = { plan: plan2, installments: others, deferred };
      return { plan: plan2, installments: [deferred], guard: { kind: 'unlocked', now } };
    },
    read,
  );
  // A plan that is not there is a 404, not a payment in progress.
  if (written === 'lost' && !refusal) await loadPlan(deps, input.planId);
  if (refusal) return refusal;
  if ((written !== 'committed' && written !== 'nothing') || !after)
    return refuse('conflict', 'INSTALLMENT.PAYMENT_IN_PROGRESS', 'a payment on this installment is in progress; try again in a minute', { retryAfterSeconds: 60 });
  const { plan, deferred } = after;
  const event: BillingEvent = {
    id: `deferred:${plan.planId}:${deferred.period}:${deferred.dueDate}`,
    version: 1,
    occurredAt: now.toISOString(),
    planId: plan.planId,
    customerId: plan.customerId,
    productName: plan.productName,
    timeZone: plan.timeZone,
    type: 'InstallmentDeferred',
    period: deferred.period,
    newDueDate: deferred.dueDate,
  };
  await deps.events.publish([event]);
  return ok(after);
}

export async function cancelPlan(
  deps: Pick<Deps, 'plans' | 'clock' | 'events'>,
  planId: string,
  read?: PlanDetail,
): Promise<Result<{ plan: Plan; installments: Installment[]; refundable: Array<{ repaymentId: string; amount: number }>; refundTotal: number }, Refused<'conflict'>>> {
  const now = deps.clock.now();
  let refusal: Result<never, Refused<'conflict'>> | undefined;
  let after: { plan: Plan; installments: Installment[] } | undefined;
  const written = await commitPlanChange(
    deps,
    planId,
    ({ plan, installments }) => {
      if (plan.status === 'cancelled') refusal = refuse('conflict', 'PLAN.ALREADY_CANCELLED', `plan ${planId} is already cancelled`);
      // Paid off is final (SPEC §2 States): a return after it is a refund, handled through a support case.
      else if (plan.status === 'paid_off') refusal = refuse('conflict', 'PLAN.PAID_OFF', `plan ${planId} is paid off; a returned order is refunded through a support case`);
      // A payment in flight (a wallet's confirmation, a charge being recorded) finishes first.
      else if (installments.some((i) => i.pendingAttemptId || i.inflightAttemptId)) {
        refusal = refuse('conflict', 'PLAN.PAYMENT_IN_PROGRESS', 'a payment on this plan is in progress; try again later', { retryAfterSeconds: 60 });
      }
      if (refusal) return undefined;
      const cancelled = installments.filter(isUnpaid).map((i): Installment => {
        const { nextAttemptAt: _n, needsCustomerAction: _c, ...rest } = i;
        return { ...rest, status: 'cancelled' };
      });
      const plan2: Plan = { ...plan, status: 'cancelled', cancelledAt: now.toISOString() };
      after = { plan: plan2, installments: installments.map((i) => cancelled.find((c) => c.period === i.period) ?? i) };
      return { plan: plan2, installments: cancelled, guard: { kind: 'unlocked', now } };
    },
    read,
  );
  // A plan that is not there is a 404, not a payment in progress.
  if (written === 'lost' && !refusal) await loadPlan(deps, planId);
  if (refusal) return refusal;
  if (written !== 'committed' || !after)
    return refuse('conflict', 'PLAN.PAYMENT_IN_PROGRESS', 'a payment on this plan is in progress; try again in a minute', { retryAfterSeconds: 60 });
  const refundable = (await deps.plans.listRepayments(planId)).filter((r) => r.status === 'succeeded').map((r) => ({ repaymentId: r.id, amount: r.amount }));
  const refundTotal = refundable.reduce((s, r) => s + r.amount, 0);
  // The customer is told the order is off and nothing more will be debited.
  await deps.events.publish([planCancelled(after.plan, refundTotal, now)]);
  return ok({ ...after, refundable, refundTotal });
}
