/**
 * The real providers' adapters, loaded only when their keys are configured (so a function
 * without Stripe keys never pays for the Stripe SDK's start-up).
 *
 * The shapes below are the adapters' own (shared/adapters/gateway/stripe/); they are restated
 * here so that the composition root type-checks against exactly what it uses.
 */
import type { StripeKeys } from '../../shared/config/payment-providers.ts';
import type { Clock } from '../../shared/ports/clock.port.ts';
import type { ProviderGateway } from '../../shared/ports/payment-gateway.port.ts';

export type StripeWebhookCheck =
  | { ok: true; eventId: string; type: string; attemptId?: string; setupId?: string }
  | { ok: false; code: string; detail: string };

interface StripeGatewayModule {
  StripeGateway: new (options: { secretKey: string; apiBase?: string; publishableKey?: string; clock?: Clock }) => ProviderGateway;
}
interface StripeWebhookModule {
  verifyStripeWebhook(rawBody: string, signatureHeader: string | undefined, webhookSecret: string, now: Date): StripeWebhookCheck;
}

function notBuilt(what: string, err: unknown): Error {
  return new Error(`${what} is not part of this build`, { cause: err });
}

export async function stripeGateway(keys: StripeKeys, clock: Clock): Promise<ProviderGateway> {
  let module: StripeGatewayModule;
  try {
    // @ts-ignore -- the adapter is added alongside; until then this path does not resolve.
    module = (await import('../../shared/adapters/gateway/stripe/stripe-gateway.ts')) as StripeGatewayModule;
  } catch (err) {
    throw notBuilt('the Stripe adapter', err);
  }
  return new module.StripeGateway({
    secretKey: keys.secretKey,
    ...(keys.apiBase === undefined ? {} : { apiBase: keys.apiBase }),
    ...(keys.publishableKey === undefined ? {} : { publishableKey: keys.publishableKey }),
    clock,
  });
}

export async function stripeWebhookVerifier(): Promise<StripeWebhookModule['verifyStripeWebhook']> {
  let module: StripeWebhookModule;
  try {
    // @ts-ignore -- as above.
    module = (await import('../../shared/adapters/gateway/stripe/stripe-webhook.ts')) as StripeWebhookModule;
  } catch (err) {
    throw notBuilt('the Stripe webhook verifier', err);
  }
  return module.verifyStripeWebhook;
}
