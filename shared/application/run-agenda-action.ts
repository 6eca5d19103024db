/**
 * run-agenda-action — input: a claimed agenda message; does the installment's next action:
 * a reminder, a debit attempt (with dunning), or marking it overdue. Primary course for a
 * debit: lock the installment → ask the gateway about an attempt left in flight → charge with
 * the attempt id as idempotency key → record attempt, installment and plan in one transaction
 * → publish the outcome.
 */

import { accelerate } from '../domain/acceleration.ts';
import { debitInstant, nextAction } from '../domain/agenda.ts';
import { localDateOf, zonedInstant } from '../domain/calendar.ts';
import { acceptsCurrency, debitOrder, providerOf } from '../domain/customer.ts';
import { applyDecline, applyPayment, applyPending, isRetryable } from '../domain/dunning.ts';
import type { BillingEvent } from '../domain/events.ts';
import { overdueStep } from '../domain/overdue.ts';
import { amountDue, type Installment, isUnpaid, type Plan } from '../domain/plan.ts';
import { afterPayment } from '../domain/plan-status.ts';
import { checkRail } from '../domain/rails.ts';
import { attemptId, type RepaymentRecord } from '../domain/repayment.ts';
import type { AgendaMessage } from '../ports/messaging.port.ts';
import type { PlanChange, PlanDetail } from '../ports/plan-repository.port.ts';
import { announceDebit, noticeAhead, noticeCovers } from './announce-debit.ts';
import { installmentOverdue, planDefaulted, reminderDue, repaymentEvents } from './billing-events.ts';
import { chargeOnce, chargeWith, finalizeCustomerCharge, type Settled } from './charge-once.ts';
import { commitPlanChange } from './commit-plan.ts';
import type { Deps } from './deps.ts';
import { recordCustomerPayment, writtenWith } from './settle-customer-payment.ts';

/** A debit's lock outlives any single gateway call, and ends before SQS redelivers. */
export const ATTEMPT_LEASE_MS = 2 * 60_000;

export type ActionOutcome = 'reminded' | 'paid' | 'declined' | 'overdue_accrued' | 'defaulted' | 'rescheduled' | 'stale' | 'republished' | 'pending';

type ActionDeps = Pick<Deps, 'plans' | 'customers' | 'gateway' | 'events' | 'clock' | 'logger'>;

export async function runAgendaAction(deps: ActionDeps, message: AgendaMessage): Promise<ActionOutcome> {
  const detail = await deps.plans.get(message.planId);
  const inst = detail?.installments.find((i) => i.period === message.period);
  if (!detail || !inst) return 'stale';
  const { plan, installments } = detail;
  if (inst.claim !== message.claim) return republishIfRecorded(deps, plan, installments, inst, message);

  const now = deps.clock.now();
  const action = nextAction(plan, inst);
  const claim = { kind: 'claim', claim: message.claim } as const;
  /** Commits a change of this installment built from fresh data (see commitPlanChange). */
  const change = (build: (plan: Plan, inst: Installment, all: Installment[]) => PlanChange | undefined) =>
    commitPlanChange(
      deps,
      plan.planId,
      (d) => {
        const fresh = d.installments.find((i) => i.period === inst.period);
        return fresh && fresh.claim === message.claim ? build(d.plan, fresh, d.installments) : undefined;
      },
      detail,
    );
  if (!action || action.at > now) {
    await change((p, i) => ({ plan: p, installments: [i], guard: claim }));
    return 'rescheduled';
  }
  switch (action.kind) {
    case 'remind': {
      const debitAt = debitInstant(plan, inst);
      await deps.events.publish([reminderDue(plan, inst, action.daysBefore, debitAt, now)]);
      const providerNotice = await announceAtReminder(deps, plan, inst, debitAt);
      await change((p, i) => ({
        plan: p,
        installments: [
          {
            ...i,
            remindersSent: [...new Set([...i.remindersSent, action.daysBefore])],
            preDebitNoticeOn: localDateOf(now, p.timeZone),
            ...(providerNotice ? { providerNotice } : {}),
          },
        ],
        guard: claim,
      }));
      return 'reminded';
    }
    case 'overdue_tick': {
      const stepOf = (p: Plan, i: Installment, all: readonly Installment[]) => {
        const step = overdueStep(p, i, now);
        const after: Plan = step.defaulted ? { ...p, status: 'defaulted' } : p.status === 'active' ? { ...p, status: 'overdue' } : p;
        // The plan defaults now: every unpaid installment falls due with this one (acceleration).
        const accelerated =
          step.defaulted && p.status !== 'defaulted'
            ? accelerate(
                after,
                all.map((x) => (x.period === i.period ? step.installment : x)),
                localDateOf(now, p.timeZone),
              )
            : [];
        const own = accelerated.find((x) => x.period === i.period) ?? step.installment;
        const others = accelerated.filter((x) => x.period !== i.period);
        const left = [own, ...others, ...all.filter((x) => isUnpaid(x) && x.period !== i.period && !others.some((o) => o.period === x.period))];
        return { step, after, own, others, amountLeft: left.reduce((s, x) => s + amountDue(x), 0) };
      };
      // Published before the commit: event ids are deterministic and notices deduplicated, so
      // a commit that fails is retried with the same events, and one that succeeds lost none.
      const { step, after, amountLeft } = stepOf(plan, inst, installments);
      const events: BillingEvent[] = [];
      if (step.noticeDay !== undefined && !step.defaulted) events.push(installmentOverdue(after, step.installment, step.noticeDay, now));
      if (step.defaulted && plan.status !== 'defaulted') events.push(planDefaulted(after, now, amountLeft));
      await deps.events.publish(events);
      const result = await change((p, i, all) => {
        const fresh = stepOf(p, i, all);
        return { plan: fresh.after, installments: [fresh.own], ...(fresh.others.length > 0 ? { alsoUnlocked: fresh.others } : {}), guard: claim };
      });
      if (result !== 'committed') return 'stale';
      return step.defaulted ? 'defaulted' : 'overdue_accrued';
    }
    case 'debit':
      return debit(deps, detail, inst, message.claim);
  }
}

async function debit(deps: ActionDeps, detail: PlanDetail, inst: Installment, claim: string): Promise<ActionOutcome> {
  const { plan } = detail;
  const now = deps.clock.now();
  // An attempt left in flight (a worker died) or awaiting a wallet's confirmation is resumed
  // under its own id, never replaced: the provider it went to is asked about it first.
  // A customer's payment holds the installment: it is theirs to finish, unless it was abandoned.
  if (inst.inflightAttemptId && !inst.inflightAttemptId.startsWith(`${plan.planId}:${inst.period}:`)) {
    return finishAbandonedCustomerPayment(deps, plan.planId, inst, now);
  }
  const resumed = inst.inflightAttemptId ?? inst.pendingAttemptId;
  const attemptNumber = resumed ? Number(resumed.split(':').pop()) : inst.attemptCount + 1;
  const id = attemptId(plan.planId, inst.period, attemptNumber);
  const isResume = resumed === id;

  // Each retry tries the next bound method in priority order, skipping those that declined for
  // good; a resumed attempt keeps the provider, method and amount it was made with.
  const bound = await deps.customers.listPaymentMethods(plan.customerId);
  const earlier = inst.pendingAttemptId === id ? await deps.plans.getRepayment(plan.planId, id) : undefined;
  // A wallet that settles only CNY is never tried for a plan in another currency.
  const methods = debitOrder(bound, plan.paymentMethodId).filter((m) => !inst.failedMethodIds?.includes(m.paymentMethodId) && acceptsCurrency(m, plan.currency));
  const methodId = earlier?.paymentMethodId ?? (isResume ? inst.inflightMethodId : undefined);
  const method = isResume ? bound.find((m) => m.paymentMethodId === methodId) : methods.length > 0 ? methods[(attemptNumber - 1) % methods.length] : undefined;
  const provider = earlier?.provider ?? (isResume ? inst.inflightProvider : undefined) ?? (method ? providerOf(method) : 'simulated');
  const amount = earlier?.amount ?? amountDue(inst);
  const firstLockedAt = inst.inflightSince ?? (inst.lockUntil ? new Date(new Date(inst.lockUntil).getTime() - ATTEMPT_LEASE_MS).toISOString() : undefined);
  const attemptedAt = earlier ? new Date(earlier.createdAt) : isResume && firstLockedAt ? new Date(firstLockedAt) : now;

  const chosenMethodId = method?.paymentMethodId ?? methodId;
  // A new charge with a bound method locks only while that method is bound and not being removed.
  const inflight = {
    id,
    provider,
    since: attemptedAt,
    ...(chosenMethodId ? { paymentMethodId: chosenMethodId } : {}),
    ...(method && !isResume ? { methodOwnerId: plan.customerId } : {}),
  };
  if (!(await deps.plans.lockAttempt(plan.planId, inst.period, claim, inflight, new Date(now.getTime() + ATTEMPT_LEASE_MS), now))) {
    return 'stale';
  }
  /** Our own attempt holds the lock from here on; commits prove it. */
  const guard = { kind: 'claim', claim, attemptId: id } as const;
  const change = (build: (plan: Plan, inst: Installment, all: Installment[]) => PlanChange) =>
    commitPlanChange(
      deps,
      plan.planId,
      (d) => {
        const fresh = d.installments.find((i) => i.period === inst.period);
        return fresh ? build(d.plan, { ...fresh, attemptCount: Math.max(fresh.attemptCount, attemptNumber) }, d.installments) : undefined;
      },
      // The read this attempt started from: only our lock changed the installment since, and
      // a plan changed meanwhile shows as a conflict and is read again.
      detail,
    );

  if (method && !isResume) {
    const rail = checkRail(method.type, now, plan.timeZone, inst.preDebitNoticeOn);
    if (!rail.open) {
      // Not a decline: the attempt waits for the rail to open, and no attempt number is used.
      if (rail.reason === 'needs_pre_debit_notice') await deps.events.publish([reminderDue(plan, inst, 0, rail.retryAt, now)]);
      const held = await change((p, i) => ({
        plan: p,
        installments: [
          {
            ...i,
            attemptCount: inst.attemptCount,
            nextAttemptAt: rail.retryAt.toISOString(),
            ...(rail.reason === 'needs_pre_debit_notice' ? { preDebitNoticeOn: localDateOf(now, p.timeZone) } : {}),
          },
        ],
        guard,
      }));
      // Nothing was charged under this lock: never leave it for a later resume to skip the rail.
      if (held !== 'committed') await deps.plans.unlock(plan.planId, [inst.period], id);
      return 'rescheduled';
    }
    // A provider that must be told first (WeChat Pay) takes the debit only inside the window its notice opened.
    if (deps.gateway.needsPreDebitNotice(provider) && !noticeCovers(inst.providerNotice, now, amount, method.paymentMethodId)) {
      const notice = noticeAhead(inst.providerNotice, now, amount, method.paymentMethodId) ? inst.providerNotice : await announceDebit(deps, method, amount, plan.currency);
      if (notice && !noticeCovers(notice, now, amount, method.paymentMethodId)) {
        const retryAt = zonedInstant(notice.from, plan.policy.debitTime, notice.timeZone);
        const held = await change((p, i) => ({
          plan: p,
          installments: [{ ...i, attemptCount: inst.attemptCount, nextAttemptAt: retryAt.toISOString(), providerNotice: notice }],
          guard,
        }));
        if (held !== 'committed') await deps.plans.unlock(plan.planId, [inst.period], id);
        return 'rescheduled';
      }
    }
  }

  const outcome = await chargeOnce(deps, {
    idempotencyKey: id,
    provider,
    attemptedAt,
    resume: isResume,
    ...chargeWith(method, { amount, currency: plan.currency, planId: plan.planId, mode: 'auto' }),
    missingMethodCode: 'invalid_method',
  });
  if ('unknown' in outcome) {
    // The provider cannot tell yet whether it charged: the lock stays, and the agenda brings the
    // attempt back after its lease to ask again. Nothing is recorded without the provider's word.
    deps.logger.warn('debit outcome unknown; it will be asked again', { attemptId: id, reason: outcome.unknown });
    return 'stale';
  }
  // Off-session, a charge that wants the customer is a decline that waits for them.
  const result: Settled | { pending: true } = 'action' in outcome ? { captured: false, code: 'authentication_required' } : outcome;

  const wasPending = inst.pendingAttemptId === id;
  const record: RepaymentRecord = {
    id,
    planId: plan.planId,
    kind: 'auto',
    periods: [inst.period],
    amount,
    currency: plan.currency,
    paymentMethodId: chosenMethodId ?? 'none',
    paymentMethodDisplay: method?.display ?? earlier?.paymentMethodDisplay ?? (chosenMethodId ? 'payment method removed' : 'no payment method bound'),
    provider,
    status: 'pending' in result ? 'pending' : result.captured ? 'succeeded' : 'failed',
    ...('pending' in result ? {} : result.captured ? { gatewayReference: result.reference } : { failureCode: result.code }),
    claim,
    createdAt: earlier?.createdAt ?? now.toISOString(),
  };
  if ('pending' in result) {
    // The wallet confirms later (webhook); until then a status check is scheduled.
    const written = await change((p, i) => ({ plan: p, installments: [applyPending(i, id, now)], ...(wasPending ? {} : { record }), guard }));
    return written === 'committed' ? 'pending' : 'stale';
  }

  let settled: ReturnType<typeof settle> | undefined;
  const written = await change((p, i, all) => {
    settled = settle(p, all, i, result, attemptNumber, amount, now, method?.paymentMethodId);
    return { plan: settled.updatedPlan, ...settled.written, record, settlesPending: wasPending, guard };
  });
  if (written !== 'committed' || !settled) {
    // Charged (maybe) but not recorded: the lock stays, and the agenda brings the attempt back
    // after its lease, to be resumed through the provider's status query.
    deps.logger.error('debit attempt not recorded; it will be resumed', { attemptId: id, result: written });
    return 'stale';
  }
  await deps.events.publish(repaymentEvents(settled.updatedPlan, settled.all, record, now));
  deps.logger.info('debit attempt recorded', {
    attemptId: id,
    status: record.status,
    failureCode: record.failureCode,
    retryable: result.captured ? undefined : isRetryable(result.code),
  });
  return result.captured ? 'paid' : 'declined';
}

/**
 * The reminder that is the customer's notice also tells the provider, where it wants that
 * (announce-debit.ts), unless the provider's window already covers the debit. A failure here
 * only delays the provider's notice to the debit, which sends it then.
 */
async function announceAtReminder(deps: ActionDeps, plan: Plan, inst: Installment, debitAt: Date) {
  if (!deps.gateway.providers().some((p) => deps.gateway.needsPreDebitNotice(p))) return undefined;
  const amount = amountDue(inst);
  const method = debitOrder(await deps.customers.listPaymentMethods(plan.customerId), plan.paymentMethodId).find((m) => !inst.failedMethodIds?.includes(m.paymentMethodId));
  if (!method || !deps.gateway.needsPreDebitNotice(providerOf(method))) return undefined;
  // Covered already, or a window still to come (announcing again would only push it later).
  if (noticeCovers(inst.providerNotice, debitAt, amount, method.paymentMethodId) || noticeAhead(inst.providerNotice, deps.clock.now(), amount, method.paymentMethodId))
    return undefined;
  try {
    return await announceDebit(deps, method, amount, plan.currency);
  } catch (error) {
    deps.logger.warn('pre-debit notice to the provider failed; the debit will send it', {
      planId: plan.planId,
      period: inst.period,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/** The installment, its plan and the whole schedule after a settled debit of one installment. */
export function settle(plan: Plan, installments: readonly Installment[], inst: Installment, result: Settled, attemptNumber: number, amount: number, now: Date, methodId?: string) {
  const debited = result.captured ? applyPayment(inst, amount, now) : applyDecline(plan, inst, result.code, attemptNumber, now, methodId);
  const paid = installments.map((i) => (i.period === inst.period ? debited : i));
  if (!result.captured) return { updated: debited, all: paid, updatedPlan: plan, written: { installments: [debited] } };
  // A debit that catches a defaulted plan up reinstates it, like any other payment.
  const after = afterPayment(plan, paid, amount, now, [inst.period]);
  const written = writtenWith([debited], after.reinstated);
  return { updated: written.installments[0]!, all: after.installments, updatedPlan: after.plan, written };
}

/**
 * A customer's payment whose request died (its lock ran out): the pending record written
 * before the charge says what was asked, and the provider says what happened; it is recorded
 * as the request would have, and the installment is free again. A verification the customer
 * abandoned is cancelled at the provider first, so it can never capture later.
 */
async function finishAbandonedCustomerPayment(deps: ActionDeps, planId: string, inst: Installment, now: Date): Promise<ActionOutcome> {
  const lockId = inst.inflightAttemptId!;
  if (inst.lockUntil && new Date(inst.lockUntil) > now) return 'stale';
  const pending = await deps.plans.getRepayment(planId, lockId);
  if (pending?.status !== 'pending') {
    // No pending record: the request died before any charge. A settled one: only the lock is left.
    await deps.plans.unlock(planId, [inst.period], lockId);
    return 'stale';
  }
  // Alone from here: a request of the customer's cannot take it over (and charge) meanwhile.
  if (!(await deps.plans.lockForPayment(planId, pending.periods, lockId, new Date(now.getTime() + ATTEMPT_LEASE_MS), now, 'agenda'))) return 'stale';
  const query = { idempotencyKey: lockId, provider: pending.provider ?? 'simulated', attemptedAt: new Date(pending.createdAt) };
  let outcome = await chargeOnce(deps, { ...query, resume: true, missingMethodCode: 'abandoned' });
  // A verification the customer never finished is abandoned: cancelled at the provider, whose answer stands.
  if ('action' in outcome) outcome = { captured: false, code: 'authentication_abandoned' };
  outcome = await finalizeCustomerCharge(deps, query, outcome);
  if (!('captured' in outcome)) return 'stale';
  const result: Settled = outcome;
  const done = await recordCustomerPayment(deps, pending, result);
  deps.logger.warn('abandoned customer payment finished by the agenda', { repaymentId: lockId, captured: result.captured, recorded: done !== undefined });
  return done && result.captured ? 'paid' : 'stale';
}

/**
 * A message whose claim has moved on is a duplicate or a redelivery. If it belongs to an
 * attempt that was recorded but whose events may not have gone out, publish them again
 * (their ids are deterministic, so notices stay single).
 */
async function republishIfRecorded(deps: ActionDeps, plan: Plan, installments: Installment[], inst: Installment, message: AgendaMessage): Promise<ActionOutcome> {
  if (inst.attemptCount === 0) return 'stale';
  const record = await deps.plans.getRepayment(plan.planId, attemptId(plan.planId, inst.period, inst.attemptCount));
  if (!record || record.claim !== message.claim) return 'stale';
  await deps.events.publish(repaymentEvents(plan, installments, record, deps.clock.now()));
  return 'republished';
}
