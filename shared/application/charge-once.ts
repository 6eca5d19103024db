/**
 * charge-once — one charge per idempotency key, and nothing recorded without the provider's
 * word. An attempt that may already have charged (resumed after a crash, awaiting a wallet or
 * the customer, or whose answer was lost) is resolved by a status query under its own key at
 * the provider that was charged, whatever happened to the payment method since; only a
 * definitive "no such charge" lets it charge (again under the same key).
 */
import type { PaymentMethod } from '../domain/customer.ts';
import type { ChargeRequest, ChargeStatus, NextAction, ProviderName, StatusQuery } from '../ports/payment-gateway.port.ts';
import type { Deps } from './deps.ts';

export type Settled = { captured: true; reference: string } | { captured: false; code: string };

/**
 * `pending`: a wallet confirms later; `action`: the customer must confirm first; `unknown`:
 * the provider cannot tell yet — nothing may be recorded or charged until it can.
 */
export type ChargeOutcome = Settled | { pending: true } | { action: NextAction } | { unknown: string };

export interface ChargeAttempt {
  idempotencyKey: string;
  provider: ProviderName;
  /** When the attempt was first made (a provider with lagging lookups needs it). */
  attemptedAt: Date;
  /** The attempt may have reached the provider before: ask before charging. */
  resume: boolean;
  /** What to charge if the provider has nothing under the key; absent when the method is gone. */
  charge?: Omit<ChargeRequest, 'idempotencyKey' | 'provider'>;
  /** The decline recorded when there is nothing to charge with and nothing was charged. */
  missingMethodCode: string;
}

/** The provider's answer to a status query as an outcome; undefined when it has no such charge. */
export function fromStatus(status: ChargeStatus): ChargeOutcome | undefined {
  switch (status.status) {
    case 'captured':
      return { captured: true, reference: status.gatewayReference };
    case 'declined':
      return { captured: false, code: status.code };
    case 'pending':
      return { pending: true };
    case 'requires_action':
      return { action: status.next };
    case 'unknown':
      return { unknown: status.reason };
    case 'not_found':
      return undefined;
  }
}

export async function chargeOnce(deps: Pick<Deps, 'gateway' | 'clock'>, attempt: ChargeAttempt): Promise<ChargeOutcome> {
  const query = { idempotencyKey: attempt.idempotencyKey, provider: attempt.provider, attemptedAt: attempt.attemptedAt };
  if (attempt.resume) {
    const known = fromStatus(await deps.gateway.status(query));
    if (known) return known;
  }
  if (!attempt.charge) return { captured: false, code: attempt.missingMethodCode };
  const sentAt = deps.clock.now();
  const charged = await deps.gateway.charge({ ...attempt.charge, idempotencyKey: attempt.idempotencyKey, provider: attempt.provider });
  switch (charged.outcome) {
    case 'captured':
      return { captured: true, reference: charged.gatewayReference };
    case 'declined':
      return { captured: false, code: charged.code };
    case 'pending':
      return { pending: true };
    case 'requires_action':
      return { action: charged.next };
    case 'unknown':
      // A timeout: the provider decides. Definitively absent means it never charged: a retryable decline.
      // Absent counts from this request (a resumed attempt began long ago), or it may still land.
      return fromStatus(await deps.gateway.status({ ...query, attemptedAt: sentAt })) ?? { captured: false, code: 'timeout' };
  }
}

/**
 * A customer's payment is final only once nobody can confirm it at the provider any more: the
 * customer holds the client secret of a payment that asked them to verify, and a failed 3-D
 * Secure may be tried again there. So a decline is recorded only after the provider cancelled
 * the charge (its answer then says whether the customer finished first), and a charge the
 * provider is still processing is not final at all.
 */
export async function finalizeCustomerCharge(deps: Pick<Deps, 'gateway'>, query: StatusQuery, outcome: ChargeOutcome): Promise<ChargeOutcome> {
  if ('pending' in outcome) return { unknown: 'the provider is still processing the payment' };
  if (!('captured' in outcome) || outcome.captured) return outcome;
  const after = fromStatus(await deps.gateway.cancel(query));
  if (after === undefined) return outcome; // nothing there to capture, ever
  if ('captured' in after) return after.captured ? after : outcome; // cancelled: the original reason stands
  return { unknown: 'the provider has not cancelled the payment yet' };
}

/** What to charge a bound method, or nothing when the method is gone. */
export function chargeWith(
  method: PaymentMethod | undefined,
  charge: { amount: number; currency: string; planId: string; mode: ChargeRequest['mode'] },
): Pick<ChargeAttempt, 'charge'> {
  if (!method) return {};
  return {
    charge: {
      token: method.token,
      ...(method.customerReference ? { customerReference: method.customerReference } : {}),
      methodType: method.type,
      ...charge,
    },
  };
}
