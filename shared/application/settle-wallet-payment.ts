/**
 * settle-wallet-payment — input: a wallet's verified asynchronous result (webhook); output:
 * `applied` when it settled the pending automatic debit it names, `ignored` otherwise (unknown
 * attempt, already settled by the status check, or a redelivery). Primary course: find the
 * installment awaiting that attempt → take its payment lock → record the outcome on the
 * attempt, the installment and the plan in one transaction → publish it.
 */
import type { BillingEvent } from '../domain/events.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';
import type { WalletResult, WalletResultHandler } from '../ports/webhook.port.ts';
import { repaymentEvents } from './billing-events.ts';
import { commitPlanChange } from './commit-plan.ts';
import type { Deps } from './deps.ts';
import { ATTEMPT_LEASE_MS, settle, type Settled } from './run-agenda-action.ts';

type SettleDeps = Pick<Deps, 'plans' | 'events' | 'clock' | 'logger'>;

/** `<planId>:<period>:<n>` → its parts, or undefined for a key repayflow did not issue. */
function parseAttemptId(key: string): { planId: string; period: number; attempt: number } | undefined {
  const match = /^([A-Za-z0-9_-]{1,64}):(\d{1,3}):(\d{1,4})$/.exec(key);
  return match ? { planId: match[1]!, period: Number(match[2]), attempt: Number(match[3]) } : undefined;
}

export async function settleWalletPayment(deps: SettleDeps, result: WalletResult): Promise<'applied' | 'ignored'> {
  const key = parseAttemptId(result.idempotencyKey);
  if (!key) return 'ignored';
  const detail = await deps.plans.get(key.planId);
  const inst = detail?.installments.find((i) => i.period === key.period);
  if (!detail || !inst) return 'ignored';
  const pending = await deps.plans.getRepayment(key.planId, result.idempotencyKey);
  if (inst.pendingAttemptId !== result.idempotencyKey) {
    // Settled already (by the status check, or by this webhook before its answer was lost):
    // publish the outcome again — its events are deterministic and notices deduplicated.
    if (pending && pending.status !== 'pending') await deps.events.publish(repaymentEvents(detail.plan, detail.installments, pending, deps.clock.now()));
    return 'ignored';
  }
  if (!pending || pending.status !== 'pending') return 'ignored';
  if (result.amount.amount !== pending.amount || result.amount.currency !== pending.currency) {
    // A wallet confirming another amount than we asked for is a fault to look into, not to book.
    deps.logger.error('wallet result does not match the attempt', { attemptId: result.idempotencyKey, expected: pending.amount, got: result.amount.amount });
    return 'ignored';
  }

  const now = deps.clock.now();
  const lockId = result.idempotencyKey;
  if (!(await deps.plans.lockForPayment(key.planId, [key.period], lockId, new Date(now.getTime() + ATTEMPT_LEASE_MS), now))) {
    // The status check or another delivery is settling it right now; the provider will retry.
    throw new Error(`attempt ${lockId} is being settled elsewhere`);
  }
  const outcome: Settled =
    result.outcome === 'succeeded' ? { captured: true, reference: `${result.provider}:${result.eventId}` } : { captured: false, code: result.failureCode ?? 'processing_error' };
  const record: RepaymentRecord = {
    ...pending,
    status: outcome.captured ? 'succeeded' : 'failed',
    ...(outcome.captured ? { gatewayReference: outcome.reference } : { failureCode: outcome.code }),
  };
  let settled: ReturnType<typeof settle> | undefined;
  const written = await commitPlanChange(deps, key.planId, (d) => {
    const fresh = d.installments.find((i) => i.period === key.period);
    if (!fresh || fresh.pendingAttemptId !== lockId) return undefined;
    settled = settle(d.plan, d.installments, fresh, outcome, key.attempt, pending.amount, now, pending.paymentMethodId);
    return { plan: settled.updatedPlan, installments: [settled.updated], record, settlesPending: true, guard: { kind: 'lock', lockId } };
  });
  if (written !== 'committed' || !settled) {
    await deps.plans.unlock(key.planId, [key.period], lockId);
    if (written === 'conflict') throw new Error(`attempt ${lockId}: the plan kept changing; the provider will retry`);
    return 'ignored';
  }
  const events: BillingEvent[] = repaymentEvents(settled.updatedPlan, settled.all, record, now);
  await deps.events.publish(events);
  return 'applied';
}

/** The port the webhook route calls. */
export function walletResultHandler(deps: SettleDeps): WalletResultHandler {
  return { apply: (result) => settleWalletPayment(deps, result) };
}
