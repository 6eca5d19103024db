/**
 * A webhook event in processing holds its key for a lease, not for the log's 7 days: a function
 * that dies mid-event does not refuse the provider's redeliveries, while duplicates that arrive
 * during processing are still refused (409) and later ones answered from the log.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/app.ts';
import { localJwtAuthenticator } from '../../functions/api/auth.ts';
import { signWebhook } from '../../functions/api/webhooks.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/stack.ts';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { IN_PROGRESS_LEASE_MS } from '../../shared/adapters/dynamodb/idempotency-store.ts';
import { DynamoWebhookEventStore } from '../../shared/adapters/webhooks/dynamo-webhook-event-store.ts';
import type { WalletResultHandler } from '../../shared/ports/webhook.port.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const NOW = new Date('2026-01-31T04:00:00Z');
const SECRET = 'whsec_test_'.padEnd(48, '0');

let t: TestStack;
let results: WalletResultHandler;
let app: ReturnType<typeof createApi>;

const anEvent = () => ({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', data: { idempotencyKey: 'plan_abc:1:1', amount: 54_392, currency: 'CNY' } });

/** Delivers the event signed at the stack's current time, as a provider's (re)delivery would be. */
async function deliver(event: object) {
  const raw = JSON.stringify(event);
  const signature = signWebhook(SECRET, raw, Math.floor(t.stack.clock.now().getTime() / 1000));
  const res = await app.request('/v1/webhooks/simulated', { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-repayflow-signature': signature } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  t = await startTestStack();
  const config = { endpoints: { dynamodb: t.stack.endpoints.dynamodb } };
  app = createApi(t.stack.deps, localJwtAuthenticator({ secret: t.stack.jwtSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }), {
    webhooks: { secret: SECRET, events: new DynamoWebhookEventStore(dynamoDocumentClient(config), t.stack.resources.tableName), results: { apply: (r) => results.apply(r) } },
  });
});

afterAll(async () => {
  await t?.stop();
});

describe('Webhook events after a crash', () => {
  it('processes a redelivery that arrives after the lease of a delivery whose function died', async () => {
    // Prepare: the first delivery's function dies while applying the result (it never answers).
    t.stack.clock.set(NOW);
    const event = anEvent();
    let started!: () => void;
    const applying = new Promise<void>((resolve) => (started = resolve));
    results = {
      apply: () => {
        started();
        return new Promise<never>(() => undefined);
      },
    };
    void deliver(event);
    await applying;
    results = { apply: async () => 'applied' };

    // Act + Assess: within the lease the event is still in progress; after it, the redelivery runs.
    t.stack.clock.set(new Date(NOW.getTime() + IN_PROGRESS_LEASE_MS / 2));
    expect(await deliver(event)).toMatchObject({ status: 409, body: { code: 'WEBHOOK.IN_PROGRESS' } });
    t.stack.clock.set(new Date(NOW.getTime() + IN_PROGRESS_LEASE_MS + 1000));
    expect(await deliver(event)).toMatchObject({ status: 200, body: { outcome: 'applied', duplicate: false } });
    expect(await deliver(event)).toMatchObject({ status: 200, body: { outcome: 'applied', duplicate: true } });
  });

  it('refuses duplicates that arrive while the event is processed and answers later ones from the log', async () => {
    // Prepare: processing waits until the test lets it finish.
    t.stack.clock.set(new Date(NOW.getTime() + 3_600_000));
    const event = anEvent();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let started!: () => void;
    const applying = new Promise<void>((resolve) => (started = resolve));
    let applications = 0;
    results = {
      apply: async () => {
        applications++;
        started();
        await finished;
        return 'applied';
      },
    };

    // Act
    const first = deliver(event);
    await applying;
    const concurrent = await Promise.all([deliver(event), deliver(event)]);
    finish();

    // Assess
    expect(concurrent.map((r) => [r.status, r.body.code])).toEqual([
      [409, 'WEBHOOK.IN_PROGRESS'],
      [409, 'WEBHOOK.IN_PROGRESS'],
    ]);
    expect(await first).toMatchObject({ status: 200, body: { outcome: 'applied', duplicate: false } });
    expect(await deliver(event)).toMatchObject({ status: 200, body: { outcome: 'applied', duplicate: true } });
    expect(applications).toBe(1);
  });
});
