/**
 * Signed wallet webhooks: HMAC over "<t>.<raw body>", 300 s tolerance on the stack's clock,
 * each event applied once (a repeat is answered 200 with no effect), no JWT involved.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/app.ts';
import { localJwtAuthenticator } from '../../functions/api/auth.ts';
import { signWebhook } from '../../functions/api/webhooks.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/stack.ts';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { DynamoWebhookEventStore } from '../../shared/adapters/webhooks/dynamo-webhook-event-store.ts';
import type { WalletResult, WalletResultHandler } from '../../shared/ports/webhook.port.ts';
import { countEntity } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const NOW = new Date('2026-01-31T04:00:00Z');
const SECRET = 'whsec_test_'.padEnd(48, '0');

let t: TestStack;
let applied: WalletResult[];
let results: WalletResultHandler;
let app: ReturnType<typeof createApi>;

const anEvent = (overrides: Record<string, unknown> = {}) => ({
  id: `evt_${randomUUID()}`,
  type: 'payment.succeeded',
  data: { idempotencyKey: 'plan_abc:1:1', amount: 54_392, currency: 'CNY' },
  ...overrides,
});
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

async function deliver(raw: string, signature: string | undefined, provider = 'simulated') {
  const res = await app.request(`/v1/webhooks/${provider}`, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-repayflow-signature': signature }) },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const signed = (event: object, at = NOW) => {
  const raw = JSON.stringify(event);
  return deliver(raw, signWebhook(SECRET, raw, unix(at)));
};

beforeAll(async () => {
  t = await startTestStack();
  t.stack.clock.set(NOW);
  const config = { endpoints: { dynamodb: t.stack.endpoints.dynamodb } };
  results = {
    apply: async (r) => {
      applied.push(r);
      return 'applied';
    },
  };
  app = createApi(t.stack.deps, localJwtAuthenticator({ secret: t.stack.jwtSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }), {
    webhooks: { secret: SECRET, events: new DynamoWebhookEventStore(dynamoDocumentClient(config), t.stack.resources.tableName), results: { apply: (r) => results.apply(r) } },
  });
});

beforeEach(() => {
  applied = [];
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

describe('POST /v1/webhooks/{provider}', () => {
  it('accepts a validly signed event without a token and hands the result to the handler', async () => {
    const event = anEvent();
    const res = await signed(event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, eventId: event.id, outcome: 'applied', duplicate: false });
    expect(applied).toEqual([
      { provider: 'simulated', eventId: event.id, outcome: 'succeeded', idempotencyKey: 'plan_abc:1:1', amount: { amount: 54_392, currency: 'CNY' }, receivedAt: NOW },
    ]);
  });

  it('passes the decline code of a failed payment', async () => {
    const event = anEvent({ type: 'payment.failed', data: { idempotencyKey: 'plan_abc:2:1', amount: 100, currency: 'CNY', failureCode: 'insufficient_funds' } });
    expect((await signed(event)).status).toBe(200);
    expect(applied[0]).toMatchObject({ outcome: 'failed', failureCode: 'insufficient_funds' });
  });

  it('refuses a wrong signature with 401 and applies nothing', async () => {
    const raw = JSON.stringify(anEvent());
    const res = await deliver(raw, signWebhook('some-other-secret-of-sufficient-size', raw, unix(NOW)));
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'WEBHOOK.SIGNATURE_INVALID' });
    expect(applied).toEqual([]);
  });

  it('refuses a missing or malformed signature header', async () => {
    const raw = JSON.stringify(anEvent());
    expect((await deliver(raw, undefined)).body).toMatchObject({ status: 401, code: 'WEBHOOK.SIGNATURE_MISSING' });
    expect((await deliver(raw, 'sha256=deadbeef')).body).toMatchObject({ status: 401, code: 'WEBHOOK.SIGNATURE_MALFORMED' });
    expect((await deliver(raw, `t=${unix(NOW)},v1=zz`)).status).toBe(401);
    expect(applied).toEqual([]);
  });

  it('refuses a tampered body (the signature covers the raw bytes)', async () => {
    const raw = JSON.stringify(anEvent());
    const signature = signWebhook(SECRET, raw, unix(NOW));
    const tampered = raw.replace('54392', '1');
    expect((await deliver(tampered, signature)).status).toBe(401);
    expect((await deliver(`${raw} `, signature)).status).toBe(401);
    expect(applied).toEqual([]);
  });

  it("refuses a timestamp more than 300 s from the stack's clock, either way", async () => {
    expect((await signed(anEvent(), new Date(NOW.getTime() - 301_000))).body).toMatchObject({ status: 401, code: 'WEBHOOK.TIMESTAMP_OUT_OF_TOLERANCE' });
    expect((await signed(anEvent(), new Date(NOW.getTime() + 301_000))).status).toBe(401);
    expect((await signed(anEvent(), new Date(NOW.getTime() - 299_000))).status).toBe(200);
    // The wall clock is months away from the simulated one: the stack's clock decides.
    expect((await signed(anEvent(), new Date())).status).toBe(401);
    expect(applied).toHaveLength(1);
  });

  it('accepts any of several v1 signatures (secret rotation)', async () => {
    const raw = JSON.stringify(anEvent());
    const old = signWebhook('the-previous-secret-of-the-provider', raw, unix(NOW)).split(',')[1];
    const res = await deliver(raw, `${signWebhook(SECRET, raw, unix(NOW))},${old}`);
    expect(res.status).toBe(200);
  });

  it('answers a replay of the same signed request 200 with no second effect', async () => {
    const event = anEvent();
    const raw = JSON.stringify(event);
    const signature = signWebhook(SECRET, raw, unix(NOW));
    const first = await deliver(raw, signature);
    const replay = await deliver(raw, signature);
    expect(first.body).toMatchObject({ duplicate: false, outcome: 'applied' });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ received: true, eventId: event.id, outcome: 'applied', duplicate: true });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(applied).toHaveLength(1);
    // A redelivery re-signed later is the same event: no effect either.
    expect((await signed(event, new Date(NOW.getTime() + 60_000))).body).toMatchObject({ duplicate: true });
    expect(applied).toHaveLength(1);
  });

  it('refuses the same event id with other content (409)', async () => {
    const event = anEvent();
    await signed(event);
    const res = await signed({ ...event, data: { ...event.data, amount: 1 } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'WEBHOOK.EVENT_CONFLICT' });
    expect(applied).toHaveLength(1);
  });

  it('applies an event once when deliveries race', async () => {
    const event = anEvent();
    results = {
      apply: async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        applied.push(r);
        return 'applied';
      },
    };
    const responses = await Promise.all(Array.from({ length: 6 }, () => signed(event)));
    expect(applied).toHaveLength(1);
    for (const r of responses) expect([200, 409]).toContain(r.status);
    expect(responses.filter((r) => r.status === 200 && r.body.duplicate === false)).toHaveLength(1);
  });

  it('forgets an event whose processing failed, so the redelivery is applied', async () => {
    const event = anEvent();
    results = { apply: async () => Promise.reject(new Error('database unavailable')) };
    expect((await signed(event)).status).toBe(500);
    results = {
      apply: async (r) => {
        applied.push(r);
        return 'applied';
      },
    };
    expect((await signed(event)).body).toMatchObject({ duplicate: false, outcome: 'applied' });
    expect(applied).toHaveLength(1);
  });

  it('refuses a signed but invalid event with 400 and field details, and an unknown provider', async () => {
    const noCode = await signed(anEvent({ type: 'payment.failed' }));
    expect(noCode.status).toBe(400);
    expect(noCode.body.errors).toEqual([expect.objectContaining({ field: 'data.failureCode' })]);
    const raw = JSON.stringify(anEvent());
    expect((await deliver(raw, signWebhook(SECRET, raw, unix(NOW)), 'paypal')).status).toBe(400);
    const notJson = 'id=evt_1';
    expect((await deliver(notJson, signWebhook(SECRET, notJson, unix(NOW)))).status).toBe(400);
    expect(applied).toEqual([]);
  });

  it('is refused (503) where no secret is configured', async () => {
    const bare = createApi(t.stack.deps, async () => undefined);
    const raw = JSON.stringify(anEvent());
    const res = await bare.request('/v1/webhooks/simulated', {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'x-repayflow-signature': signWebhook(SECRET, raw, unix(NOW)) },
    });
    expect(res.status).toBe(503);
  });
});

describe('Webhooks on the local stack', () => {
  it('verifies with the stack secret over HTTP, ignores the result until a handler is wired, and logs the event once', async () => {
    const before = await countEntity(t, 'idempotency');
    const raw = JSON.stringify(anEvent());
    const signature = signWebhook(t.stack.webhookSecret, raw, unix(t.stack.clock.now()));
    const res = await t.http('POST', '/v1/webhooks/simulated', { rawBody: raw, headers: { 'x-repayflow-signature': signature } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'ignored', duplicate: false });
    expect((await t.http('POST', '/v1/webhooks/simulated', { rawBody: raw, headers: { 'x-repayflow-signature': signature } })).body).toMatchObject({ duplicate: true });
    expect(await countEntity(t, 'idempotency')).toBe(before + 1);
  });
});
