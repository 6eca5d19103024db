/**
 * Asynchronous payment results that wallet providers (Alipay, WeChat Pay) deliver by signed
 * webhook, and the log that makes their processing idempotent and replay-proof.
 */
import type { ProviderName } from '../domain/customer.ts';
import type { Money } from '../domain/money.ts';

/**
 * Providers whose webhooks carry repayflow's own HMAC signature (`X-Repayflow-Signature`): the
 * simulated provider. Real providers are verified with their own schemes.
 */
export const WEBHOOK_PROVIDERS = ['simulated'] as const;
export type WebhookProvider = ProviderName;

/**
 * One verified payment result, as the provider reported it: a hint that triggers a status
 * query. Outcome and amount are what the event said, when it says (a Stripe event is used
 * only as "ask about this attempt"); the handler records the provider's answer, not these.
 */
export interface WalletResult {
  provider: WebhookProvider;
  /** The provider's event id; unique per provider, the same on every redelivery. */
  eventId: string;
  outcome?: 'succeeded' | 'failed';
  /** The attempt id repayflow gave the gateway (`<planId>:<period>:<n>`). */
  idempotencyKey: string;
  /** When present, a result for another amount than the attempt's is refused as a fault. */
  amount?: Money;
  /** Decline code of a failed payment (`insufficient_funds`, `account_closed`, …). */
  failureCode?: string;
  receivedAt: Date;
}

/**
 * Applies a wallet's payment result to the attempt it settles (a use case of the application
 * layer). Must itself be idempotent by `idempotencyKey`: a provider may redeliver an event
 * after the webhook log has expired it.
 *
 * `applied`: the result changed state; `ignored`: nothing to do (unknown key, already settled).
 */
export interface WalletResultHandler {
  apply(result: WalletResult): Promise<'applied' | 'ignored'>;
}

/**
 * A provider's verified word that a method's authorisation finished (Stripe
 * `setup_intent.succeeded`): a hint that the binding use case checks with `setupStatus` before
 * it activates anything. `applied`: a method was activated; `ignored`: nothing to do.
 */
export interface BindingHintHandler {
  apply(provider: ProviderName, setupId: string, customerId: string): Promise<'applied' | 'ignored'>;
}

export type WebhookOutcome = 'applied' | 'ignored';

export type WebhookEventRecord =
  | { status: 'processing'; bodyHash: string; receivedAt: string }
  | { status: 'processed'; bodyHash: string; receivedAt: string; outcome: WebhookOutcome };

/** Every accepted webhook event, kept for a while (TTL) so a replay or redelivery has no effect. */
export interface WebhookEventStore {
  /** Records the event as being processed; returns the existing record when it was seen before. */
  begin(provider: WebhookProvider, eventId: string, bodyHash: string, now: Date): Promise<WebhookEventRecord | undefined>;
  complete(provider: WebhookProvider, eventId: string, outcome: WebhookOutcome): Promise<void>;
  /** Forgets an event whose processing failed, so the provider's retry is processed. */
  release(provider: WebhookProvider, eventId: string): Promise<void>;
}
