/**
 * settle-from-provider-hint — input: a provider's verified webhook about one of our charges (a
 * hint, never the truth); output: `applied` when the provider's answer to a status query under
 * that charge's own key settled something, `ignored` otherwise (unknown key, already settled,
 * still undecided). Primary course: find the payment awaiting that key (an automatic debit a
 * wallet confirms later, or a customer payment awaiting their verification) → ask its
 * provider → record the provider's answer on the attempt, the installment and the plan in one
 * transaction → publish it.
 */
import type { BillingEvent } from '../domain/events.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';
import type { WalletResult, WalletResultHandler } from '../ports/webhook.port.ts';
import { repaymentEvents } from './billing-events.ts';
import { finalizeCustomerCharge, fromStatus, type Settled } from './charge-once.ts';
import { commitPlanChange } from './commit-plan.ts';
import type { Deps } from './deps.ts';
import { ATTEMPT_LEASE_MS, settle } from './run-agenda-action.ts';
import { recordCustomerPayment } from './settle-customer-payment.ts';

type SettleDeps = Pick<Deps, 'plans' | 'events' | 'clock' | 'logger' | 'gateway'>;

/** `<planId>:<period>:<n>` (automatic) or `<planId>:manual:<hash>` (customer) → its parts. */
function parseChargeKey(key: string): { planId: string; period?: number; attempt?: number } | undefined {
  const auto = /^([A-Za-z0-9_-]{1,64}):(\d{1,3}):(\d{1,4})$/.exec(key);
  if (auto) return { planId: auto[1]!, period: Number(auto[2]), attempt: Number(auto[3]) };
  const manual = /^([A-Za-z0-9_-]{1,64}):manual:[0-9a-f]{16}$/.exec(key);
  return manual ? { planId: manual[1]! } : undefined;
}

export async function settleWalletPayment(deps: SettleDeps, hint: WalletResult): Promise<'applied' | 'ignored'> {
  const key = parseChargeKey(hint.idempotencyKey);
  if (!key) return 'ignored';
  const pending = await deps.plans.getRepayment(key.planId, hint.idempotencyKey);
  if (!pending) return 'ignored';
  // A hint from another provider than the one charged changes nothing.
  if ((pending.provider ?? 'simulated') !== hint.provider) {
    deps.logger.warn('webhook names another provider than the one charged', { attemptId: hint.idempotencyKey, provider: hint.provider, charged: pending.provider });
    return 'ignored';
  }
  const detail = await deps.plans.get(key.planId);
  if (!detail) return 'ignored';
  if (pending.status !== 'pending') {
    // Settled already (by the status check, or by this webhook before its answer was lost):
    // publish the outcome again — its events are deterministic and notices deduplicated.
    await deps.events.publish(repaymentEvents(detail.plan, detail.installments, pending, deps.clock.now()));
    return 'ignored';
  }
  if (hint.amount && (hint.amount.amount !== pending.amount || hint.amount.currency !== pending.currency)) {
    // A provider reporting another amount than we asked for is a fault to look into, not to book.
    deps.logger.error('provider result does not match the attempt', { attemptId: hint.idempotencyKey, expected: pending.amount, got: hint.amount.amount });
    return 'ignored';
  }
  const query = { idempotencyKey: pending.id, provider: pending.provider ?? 'simulated', attemptedAt: new Date(pending.createdAt) };
  // Only a settled answer settles anything: pending, unknown or awaiting the customer waits.
  const outcome = fromStatus(await deps.gateway.status(query));
  if (!outcome || !('captured' in outcome)) return 'ignored';
  if (key.period === undefined) {
    // A customer payment that awaited their verification: recorded as the request would have,
    // a decline only once the provider cancelled it (the customer could otherwise try again there).
    const final = await finalizeCustomerCharge(deps, query, outcome);
    if (!('captured' in final)) return 'ignored';
    const done = await recordCustomerPayment(deps, pending, final);
    return done ? 'applied' : 'ignored';
  }
  return settlePendingDebit(deps, pending, { planId: key.planId, period: key.period, attempt: key.attempt! }, outcome);
}

async function settlePendingDebit(
  deps: SettleDeps,
  pending: RepaymentRecord,
  key: { planId: string; period: number; attempt: number },
  outcome: Settled,
): Promise<'applied' | 'ignored'> {
  const now = deps.clock.now();
  const lockId = pending.id;
  if (!(await deps.plans.lockForPayment(key.planId, [key.period], lockId, new Date(now.getTime() + ATTEMPT_LEASE_MS), now))) {
    // The status check or another delivery is settling it right now; the provider will retry.
    throw new Error(`attempt ${lockId} is being settled elsewhere`);
  }
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
    return { plan: settled.updatedPlan, ...settled.written, record, settlesPending: true, guard: { kind: 'lock', lockId } };
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
