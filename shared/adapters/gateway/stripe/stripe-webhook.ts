/**
 * Stripe webhook signatures (https://docs.stripe.com/webhooks/signature), checked by the SDK.
 * An event is only a hint: it names the attempt or setup to ask Stripe about, never a result.
 */
import Stripe from 'stripe';

/** Stripe's own default: a signature older than five minutes is a replay. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type StripeWebhookCheck =
  | { ok: true; eventId: string; type: string; attemptId?: string; setupId?: string; customerId?: string }
  | { ok: false; code: 'missing_signature' | 'bad_signature' | 'expired' | 'malformed'; detail: string };

export function verifyStripeWebhook(rawBody: string, signatureHeader: string | undefined, webhookSecret: string, now: Date): StripeWebhookCheck {
  if (!signatureHeader) return { ok: false, code: 'missing_signature', detail: 'no Stripe-Signature header' };
  const signedAt = /(?:^|,)t=(\d+)/.exec(signatureHeader)?.[1];
  // The SDK only refuses old timestamps; one from the future is as suspect.
  if (signedAt && Number(signedAt) - now.getTime() / 1000 > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, code: 'expired', detail: 'signature timestamp is in the future' };
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, now.getTime());
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      const expired = /tolerance/i.test(error.message);
      return { ok: false, code: expired ? 'expired' : 'bad_signature', detail: expired ? 'signature timestamp outside the tolerance' : 'signature does not match' };
    }
    return { ok: false, code: 'malformed', detail: error instanceof Error ? error.message : String(error) };
  }
  const object = (event.data?.object ?? {}) as { id?: unknown; object?: unknown; metadata?: Record<string, string> | null };
  const hint: { attemptId?: string; setupId?: string; customerId?: string } = {};
  if (event.type.startsWith('payment_intent.') && typeof object.metadata?.['repayflow_attempt_id'] === 'string') hint.attemptId = object.metadata['repayflow_attempt_id'];
  if (event.type.startsWith('setup_intent.') && typeof object.id === 'string') {
    hint.setupId = object.id;
    // Whose binding it is: startSetup wrote our customer id on the SetupIntent.
    if (typeof object.metadata?.['repayflow_customer_id'] === 'string') hint.customerId = object.metadata['repayflow_customer_id'];
  }
  return { ok: true, eventId: event.id, type: event.type, ...hint };
}
