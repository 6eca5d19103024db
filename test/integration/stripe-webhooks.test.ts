/**
 * Stripe webhooks: `POST /v1/webhooks/stripe`, verified by Stripe-Signature with the endpoint's
 * signing secret (300 s tolerance), each event applied once through the same event log, and
 * used only as a hint: the attempt (or setup) it names is asked about, nothing is taken from it.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stripeWebhookVerify } from '../../functions/_wrappers/gateway.ts';
import { createApi } from '../../functions/api/app.ts';
import { localJwtAuthenticator } from '../../functions/api/auth.ts';
import { signWebhook } from '../../functions/api/webhooks.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/stack.ts';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { verifyStripeWebhook } from '../../shared/adapters/gateway/stripe/stripe-webhook.ts';
import { DynamoWebhookEventStore } from '../../shared/adapters/webhooks/dynamo-webhook-event-store.ts';
import { walletResultHandler } from '../../shared/application/settle-wallet-payment.ts';
import type { WalletResult, WalletResultHandler } from '../../shared/ports/webhook.port.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const NOW = new Date('2026-01-31T04:00:00Z');
const WEBHOOK_SECRET = 'whsec_repayflowStripeTest';
const HMAC_SECRET = 'repayflow-simulated-'.padEnd(48, '0');
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

let t: TestStack;
let applied: WalletResult[];
let setups: string[];
let results: WalletResultHandler;
let app: ReturnType<typeof createApi>;

const paymentIntentEvent = (type = 'payment_intent.succeeded', attemptId = 'plan_abc:1:1') => ({
  id: `evt_${randomUUID().replaceAll('-', '')}`,
  object: 'event',
  type,
  data: { object: { id: 'pi_123', object: 'payment_intent', amount: 54_392, currency: 'cny', metadata: { repayflow_attempt_id: attemptId } } },
});
const stripeSignature = (payload: string, at = NOW, secret = WEBHOOK_SECRET) => Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: unix(at) });

async function deliver(path: string, raw: string, headers: Record<string, string>) {
  const res = await app.request(path, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const toStripe = (event: object, options: { at?: Date; secret?: string } = {}) => {
  const raw = JSON.stringify(event);
  return deliver('/v1/webhooks/stripe', raw, { 'stripe-signature': stripeSignature(raw, options.at, options.secret) });
};

beforeAll(async () => {
  t = await startTestStack();
  t.stack.clock.set(NOW);
  const config = { endpoints: { dynamodb: t.stack.endpoints.dynamodb } };
  const stripeConfig = { gateway: 'providers' as const, paymentSecretsArn: undefined, providerKeys: { stripe: { secretKey: 'sk_test_repayflow', webhookSecret: WEBHOOK_SECRET } } };
  app = createApi(t.stack.deps, localJwtAuthenticator({ secret: t.stack.jwtSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }), {
    webhooks: {
      secret: HMAC_SECRET,
      events: new DynamoWebhookEventStore(dynamoDocumentClient(config), t.stack.resources.tableName),
      results: { apply: (r) => results.apply(r) },
      stripe: stripeWebhookVerify(stripeConfig, async () => verifyStripeWebhook),
      bindings: {
        apply: async (_provider, setupId, customerId) => {
          setups.push(`${customerId}/${setupId}`);
          return 'applied';
        },
      },
    },
  });
});

beforeEach(() => {
  applied = [];
  setups = [];
  results = {
    apply: async (r) => {
      applied.push(r);
      return 'applied';
    },
  };
});

afterAll(async () => {
  await t?.stop();
});

describe('POST /v1/webhooks/stripe', () => {
  it('applies a correctly signed payment_intent event once, as a hint about its attempt', async () => {
    const event = paymentIntentEvent();

    const res = await toStripe(event);

    expect(res).toEqual({ status: 200, body: { received: true, eventId: event.id, outcome: 'applied', duplicate: false } });
    expect(applied).toEqual([
      { provider: 'stripe', eventId: event.id, idempotencyKey: 'plan_abc:1:1', outcome: 'succeeded', amount: { amount: 54_392, currency: 'CNY' }, receivedAt: NOW },
    ]);
  });

  it('answers a replay of the same event as a duplicate, without applying it again', async () => {
    const event = paymentIntentEvent('payment_intent.payment_failed');
    await toStripe(event);

    const replay = await toStripe(event, { at: new Date(NOW.getTime() + 60_000) });

    expect(replay).toEqual({ status: 200, body: { received: true, eventId: event.id, outcome: 'applied', duplicate: true } });
    expect(applied).toHaveLength(1);
  });

  it.each([
    ['tampered', (raw: string) => ({ raw: raw.replace('54392', '1'), header: stripeSignature(raw) }), 'WEBHOOK.SIGNATURE_INVALID'],
    ['signed with another secret', (raw: string) => ({ raw, header: stripeSignature(raw, NOW, 'whsec_someoneElse') }), 'WEBHOOK.SIGNATURE_INVALID'],
    ['signed 6 minutes ago', (raw: string) => ({ raw, header: stripeSignature(raw, new Date(NOW.getTime() - 360_000)) }), 'WEBHOOK.TIMESTAMP_OUT_OF_TOLERANCE'],
    ["signed with repayflow's own HMAC", (raw: string) => ({ raw, header: signWebhook(HMAC_SECRET, raw, unix(NOW)) }), 'WEBHOOK.SIGNATURE_INVALID'],
  ])('refuses an event %s with 401 and applies nothing', async (_name, make, code) => {
    const { raw, header } = make(JSON.stringify(paymentIntentEvent()));

    const res = await deliver('/v1/webhooks/stripe', raw, { 'stripe-signature': header });

    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code });
    expect(applied).toEqual([]);
  });

  it('refuses an event without Stripe-Signature', async () => {
    const res = await deliver('/v1/webhooks/stripe', JSON.stringify(paymentIntentEvent()), {});

    expect(res).toMatchObject({ status: 401, body: { code: 'WEBHOOK.SIGNATURE_MISSING' } });
  });

  it("refuses a Stripe-signed event on the simulated provider's route", async () => {
    const raw = JSON.stringify(paymentIntentEvent());

    const res = await deliver('/v1/webhooks/simulated', raw, { 'stripe-signature': stripeSignature(raw) });

    expect(res.status).toBe(401);
    expect(applied).toEqual([]);
  });

  it('hands setup_intent.succeeded to the binding hint handler', async () => {
    const event = {
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type: 'setup_intent.succeeded',
      data: { object: { id: 'seti_123', object: 'setup_intent', metadata: { repayflow_customer_id: 'cus_setup' } } },
    };

    const res = await toStripe(event);

    expect(res.body).toMatchObject({ outcome: 'applied', duplicate: false });
    expect(setups).toEqual(['cus_setup/seti_123']);
    expect(applied).toEqual([]);
  });

  it('acknowledges event types it does not act on, changing nothing', async () => {
    const res = await toStripe({ id: `evt_${randomUUID().replaceAll('-', '')}`, object: 'event', type: 'customer.created', data: { object: { id: 'cus_1' } } });

    expect(res).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
    expect(applied).toEqual([]);
  });

  it('changes nothing for an attempt that is not ours', async () => {
    results = walletResultHandler(t.stack.deps);

    const res = await toStripe(paymentIntentEvent('payment_intent.succeeded', 'plan_unknown:1:1'));

    expect(res).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
  });

  it('answers 503 when Stripe is not configured', async () => {
    const bare = createApi(t.stack.deps, localJwtAuthenticator({ secret: t.stack.jwtSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }), {
      webhooks: { secret: HMAC_SECRET, events: { begin: async () => undefined, complete: async () => {}, release: async () => {} }, results },
    });
    const raw = JSON.stringify(paymentIntentEvent());

    const res = await bare.request('/v1/webhooks/stripe', { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(raw) } });

    expect(res.status).toBe(503);
  });
});
