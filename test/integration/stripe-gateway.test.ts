/**
 * The Stripe adapter against the Stripe fake (test/fakes/stripe), which follows Stripe's test
 * mode: its ledger is the independent record of what was captured.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StripeGateway } from '../../shared/adapters/gateway/stripe/stripe-gateway.ts';
import { verifyStripeWebhook } from '../../shared/adapters/gateway/stripe/stripe-webhook.ts';
import type { ChargeRequest } from '../../shared/ports/payment-gateway.port.ts';
import { type StripeFake, signStripePayload, startStripeFake } from '../fakes/stripe/stripe-fake.ts';
import { TestClock } from '../support/test-clock.ts';

const MINUTE = 60_000;
let fake: StripeFake;
let clock: TestClock;
let gateway: StripeGateway;
/** Acts as Stripe.js would on the customer's device (confirms with a test card). */
let browser: Stripe;
let seq = 0;

beforeAll(async () => {
  clock = new TestClock(new Date('2026-03-10T01:00:00Z'));
  fake = await startStripeFake({ clock });
  gateway = new StripeGateway({ secretKey: fake.secretKey, apiBase: fake.url, publishableKey: 'pk_test_fake', clock, timeoutMs: 5_000 });
  const base = new URL(fake.url);
  browser = new Stripe(fake.secretKey, { host: base.hostname, port: base.port, protocol: 'http', maxNetworkRetries: 0 });
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.setSearchLag(0);
});

async function boundCard(testCard: string, customerId = `cust-${++seq}`) {
  const verified = await gateway.verifyToken({ token: testCard, methodType: 'bank_card', customerId });
  if (!verified.ok) throw new Error(verified.detail);
  return verified;
}

function chargeOf(card: { token: string; customerReference?: string }, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    idempotencyKey: `plan-${++seq}:1:1`,
    provider: 'stripe',
    token: card.token,
    customerReference: card.customerReference,
    methodType: 'bank_card',
    amount: 54_400,
    currency: 'CNY',
    planId: `plan-${seq}`,
    mode: 'auto',
    ...overrides,
  };
}

const capturesOf = (attemptId: string) => fake.ledger().filter((c) => c.metadata['repayflow_attempt_id'] === attemptId);

describe('Class: StripeGateway', () => {
  describe('Method: startSetup / setupStatus', () => {
    it('binds a card through a SetupIntent that the customer confirms with Stripe.js', async () => {
      // Prepare
      const started = await gateway.startSetup({ customerId: 'cust-setup', methodType: 'bank_card', setupKey: 'setup-1' });
      expect(started.next).toMatchObject({ type: 'stripe_sdk', publishableKey: 'pk_test_fake' });
      expect(started.next.type === 'stripe_sdk' && started.next.clientSecret).toMatch(/^seti_.+_secret_/);
      expect(await gateway.setupStatus(started.setupId)).toEqual({ status: 'pending' });

      // Act
      await browser.setupIntents.confirm(started.setupId, { payment_method: 'pm_card_visa' });

      // Assess
      const status = await gateway.setupStatus(started.setupId);
      expect(status).toMatchObject({ status: 'succeeded', display: 'Visa ****4242', customerReference: started.customerReference });
      expect(status.status === 'succeeded' && status.token).toMatch(/^pm_(?!card_)/);
    });

    it('starts the same setup once for the same setup key', async () => {
      const a = await gateway.startSetup({ customerId: 'cust-twice', methodType: 'bank_card', setupKey: 'setup-twice' });
      const b = await gateway.startSetup({ customerId: 'cust-twice', methodType: 'bank_card', setupKey: 'setup-twice' });
      expect(b.setupId).toBe(a.setupId);
      expect(b.customerReference).toBe(a.customerReference);
    });

    it('reports a card refused during setup as failed', async () => {
      const started = await gateway.startSetup({ customerId: 'cust-setup-declined', methodType: 'bank_card', setupKey: 'setup-declined' });
      await expect(browser.setupIntents.confirm(started.setupId, { payment_method: 'pm_card_chargeDeclined' })).rejects.toThrow(/declined/);
      expect(await gateway.setupStatus(started.setupId)).toEqual({ status: 'failed', code: 'invalid_method' });
    });
  });

  describe('Method: verifyToken', () => {
    it('attaches a Stripe.js PaymentMethod and keeps the id Stripe returns', async () => {
      const verified = await gateway.verifyToken({ token: 'pm_card_visa', methodType: 'bank_card', customerId: 'cust-token' });
      expect(verified).toMatchObject({ ok: true, display: 'Visa ****4242' });
      if (!verified.ok) return;
      expect(verified.token).not.toBe('pm_card_visa');
      expect(verified.customerReference).toMatch(/^cus_/);
    });

    it('refuses a reference Stripe does not know', async () => {
      const check = await gateway.verifyToken({ token: 'pm_nobody_issued_this', methodType: 'bank_card', customerId: 'cust-x' });
      expect(check).toMatchObject({ ok: false, code: 'unknown_token' });
    });

    it('refuses a PaymentMethod that is not a card', async () => {
      const check = await gateway.verifyToken({ token: fake.seedPaymentMethod('sepa_debit'), methodType: 'bank_card', customerId: 'cust-sepa' });
      expect(check).toMatchObject({ ok: false, code: 'wrong_type' });
    });
  });

  describe('Method: charge', () => {
    it('captures an automatic debit once, and a retry of the attempt returns the same PaymentIntent', async () => {
      // Prepare
      const card = await boundCard('pm_card_visa');
      const request = chargeOf(card);

      // Act
      const first = await gateway.charge(request);
      const again = await gateway.charge(request);

      // Assess
      expect(first).toMatchObject({ outcome: 'captured' });
      expect(again).toEqual(first);
      expect(capturesOf(request.idempotencyKey)).toHaveLength(1);
      expect(capturesOf(request.idempotencyKey)[0]).toMatchObject({ amount: 54_400, currency: 'cny' });
      expect(fake.paymentIntents().filter((pi) => (pi['metadata'] as Record<string, string>)['repayflow_attempt_id'] === request.idempotencyKey)).toHaveLength(1);
      expect(fake.exchanges().some((e) => e.replayed && e.path === '/v1/payment_intents')).toBe(true);
    });

    it('declines insufficient funds as retryable', async () => {
      const card = await boundCard('pm_card_chargeDeclinedInsufficientFunds');
      const request = chargeOf(card);
      expect(await gateway.charge(request)).toEqual({ outcome: 'declined', code: 'insufficient_funds' });
      expect(capturesOf(request.idempotencyKey)).toHaveLength(0);
      expect(await gateway.status({ idempotencyKey: request.idempotencyKey, provider: 'stripe', attemptedAt: clock.now() })).toEqual({
        status: 'declined',
        code: 'insufficient_funds',
      });
    });

    it('declines an expired card as final', async () => {
      const card = await boundCard('pm_card_chargeDeclinedExpiredCard');
      expect(await gateway.charge(chargeOf(card))).toEqual({ outcome: 'declined', code: 'card_expired' });
    });

    it('declines an off-session debit the issuer wants authenticated as authentication_required', async () => {
      const card = await boundCard('pm_card_authenticationRequired');
      expect(await gateway.charge(chargeOf(card))).toEqual({ outcome: 'declined', code: 'authentication_required' });
    });

    it('asks a present customer to authenticate, and the result follows once they did', async () => {
      // Prepare
      const card = await boundCard('pm_card_authenticationRequired');
      const request = chargeOf(card, { mode: 'customer_present' });

      // Act
      const result = await gateway.charge(request);

      // Assess
      expect(result).toMatchObject({ outcome: 'requires_action', next: { type: 'stripe_sdk', publishableKey: 'pk_test_fake' } });
      const query = { idempotencyKey: request.idempotencyKey, provider: 'stripe' as const, attemptedAt: clock.now() };
      expect(await gateway.status(query)).toMatchObject({ status: 'requires_action' });
      const [intent] = fake.paymentIntents().filter((pi) => (pi['metadata'] as Record<string, string>)['repayflow_attempt_id'] === request.idempotencyKey);
      fake.completeAction(String(intent!['id']), true);
      expect(await gateway.status(query)).toEqual({ status: 'captured', gatewayReference: intent!['id'] });
      expect(capturesOf(request.idempotencyKey)).toHaveLength(1);
    });

    it('cancels an abandoned verification so that it can never capture', async () => {
      const card = await boundCard('pm_card_authenticationRequired');
      const request = chargeOf(card, { mode: 'customer_present' });
      await gateway.charge(request);
      const query = { idempotencyKey: request.idempotencyKey, provider: 'stripe' as const, attemptedAt: clock.now() };
      expect(await gateway.cancel(query)).toEqual({ status: 'declined', code: 'canceled' });
      const [intent] = fake.paymentIntents().filter((pi) => (pi['metadata'] as Record<string, string>)['repayflow_attempt_id'] === request.idempotencyKey);
      expect(() => fake.completeAction(String(intent!['id']), true)).toThrow();
      expect(capturesOf(request.idempotencyKey)).toHaveLength(0);
    });

    it('survives one lost answer: the SDK retries with the same key and Stripe replays the capture', async () => {
      const card = await boundCard('pm_card_visa');
      const request = chargeOf(card);
      fake.fault({ kind: 'drop_response', method: 'POST', path: '/v1/payment_intents', times: 1 });
      expect(await gateway.charge(request)).toMatchObject({ outcome: 'captured' });
      expect(capturesOf(request.idempotencyKey)).toHaveLength(1);
    });

    it('answers unknown when every answer is lost, and status then finds the capture', async () => {
      // Prepare
      const card = await boundCard('pm_card_visa');
      const request = chargeOf(card);
      fake.fault({ kind: 'drop_response', method: 'POST', path: '/v1/payment_intents', times: 3 });

      // Act
      const result = await gateway.charge(request);

      // Assess
      expect(result).toMatchObject({ outcome: 'unknown' });
      expect(capturesOf(request.idempotencyKey)).toHaveLength(1);
      const status = await gateway.status({ idempotencyKey: request.idempotencyKey, provider: 'stripe', attemptedAt: clock.now() });
      expect(status).toEqual({ status: 'captured', gatewayReference: capturesOf(request.idempotencyKey)[0]!.paymentIntentId });
    });

    it('answers unknown, never a decline, when Stripe keeps failing with 500', async () => {
      const card = await boundCard('pm_card_visa');
      const request = chargeOf(card);
      fake.fault({ kind: 'error_500', method: 'POST', path: '/v1/payment_intents', times: 3 });
      expect(await gateway.charge(request)).toMatchObject({ outcome: 'unknown' });
      expect(capturesOf(request.idempotencyKey)).toHaveLength(0);
    });

    it('throws when one attempt id is reused for a different charge', async () => {
      const card = await boundCard('pm_card_visa');
      const request = chargeOf(card);
      await gateway.charge(request);
      await expect(gateway.charge({ ...request, amount: request.amount + 1 })).rejects.toThrow(/same parameters/);
    });
  });

  describe('Method: status', () => {
    it('finds a capture that search does not show yet through the consistent list', async () => {
      const card = await boundCard('pm_card_visa');
      const request = chargeOf(card);
      fake.setSearchLag(10 * MINUTE);
      const attemptedAt = clock.now();
      const charged = await gateway.charge(request);
      expect(await gateway.status({ idempotencyKey: request.idempotencyKey, provider: 'stripe', attemptedAt })).toEqual({
        status: 'captured',
        gatewayReference: charged.outcome === 'captured' ? charged.gatewayReference : '',
      });
    });

    it('falls back to the consistent list when search fails, so a resumed attempt is never stuck on it', async () => {
      const card = await boundCard('pm_card_visa');
      const request = chargeOf(card);
      const attemptedAt = clock.now();
      const charged = await gateway.charge(request);
      fake.fault({ kind: 'error_500', method: 'GET', path: '/v1/payment_intents/search', times: 10 });
      expect(await gateway.status({ idempotencyKey: request.idempotencyKey, provider: 'stripe', attemptedAt })).toEqual({
        status: 'captured',
        gatewayReference: charged.outcome === 'captured' ? charged.gatewayReference : '',
      });
    });

    it('answers unknown for an attempt never made until the settle time has passed, then not_found', async () => {
      const attemptedAt = clock.now();
      const query = { idempotencyKey: 'plan-never:1:1', provider: 'stripe' as const, attemptedAt };
      expect(await gateway.status(query)).toMatchObject({ status: 'unknown' });
      clock.advance(9 * MINUTE);
      expect(await gateway.status(query)).toMatchObject({ status: 'unknown' });
      clock.advance(2 * MINUTE);
      expect(await gateway.status(query)).toEqual({ status: 'not_found' });
    });
  });

  describe('Method: captures', () => {
    it('lists exactly the captures of the day, with their attempt ids', async () => {
      // Prepare: a fresh fake, so that only this day's traffic exists
      const dayClock = new TestClock(new Date('2026-04-01T23:59:00Z'));
      const dayFake = await startStripeFake({ clock: dayClock });
      const day = new StripeGateway({ secretKey: dayFake.secretKey, apiBase: dayFake.url, clock: dayClock });
      try {
        const ok = await day.verifyToken({ token: 'pm_card_visa', methodType: 'bank_card', customerId: 'cust-day' });
        const poor = await day.verifyToken({ token: 'pm_card_chargeDeclinedInsufficientFunds', methodType: 'bank_card', customerId: 'cust-day' });
        if (!ok.ok || !poor.ok) throw new Error('binding failed');
        await day.charge(chargeOf(ok, { idempotencyKey: 'plan-d:1:1' })); // the day before
        dayClock.set('2026-04-02T00:00:00Z');
        await day.charge(chargeOf(ok, { idempotencyKey: 'plan-d:2:1' }));
        await day.charge(chargeOf(poor, { idempotencyKey: 'plan-d:2:2' })); // declined
        dayClock.set('2026-04-02T12:00:00Z');
        for (let i = 0; i < 120; i++) await day.charge(chargeOf(ok, { idempotencyKey: `plan-bulk:${i}:1`, amount: 100 }));
        dayClock.set('2026-04-02T23:59:59Z');
        await day.charge(chargeOf(ok, { idempotencyKey: 'plan-d:3:1' }));
        dayClock.set('2026-04-03T00:00:00Z');
        await day.charge(chargeOf(ok, { idempotencyKey: 'plan-d:4:1' })); // the day after

        // Act
        const captures = await day.captures(new Date('2026-04-02T00:00:00Z'), new Date('2026-04-03T00:00:00Z'));

        // Assess
        const keys = captures.map((c) => c.idempotencyKey).sort();
        const expected = dayFake
          .ledger()
          .filter((c) => c.at >= '2026-04-02T00:00:00.000Z' && c.at < '2026-04-03T00:00:00.000Z')
          .map((c) => c.metadata['repayflow_attempt_id']!)
          .sort();
        expect(keys).toEqual(expected);
        expect(keys).toHaveLength(122);
        expect(keys).toContain('plan-d:2:1');
        expect(keys).toContain('plan-d:3:1');
        expect(captures.find((c) => c.idempotencyKey === 'plan-d:2:1')).toMatchObject({
          provider: 'stripe',
          amount: 54_400,
          currency: 'CNY',
          capturedAt: '2026-04-02T00:00:00.000Z',
        });
      } finally {
        await dayFake.stop();
      }
    });
  });

  describe('Method: release', () => {
    it('detaches the PaymentMethod, after which it cannot be charged', async () => {
      const card = await boundCard('pm_card_visa');
      await gateway.release({ token: card.token, customerReference: card.customerReference });
      await gateway.release({ token: card.token, customerReference: card.customerReference });
      expect(await gateway.charge(chargeOf(card))).toEqual({ outcome: 'declined', code: 'invalid_method' });
    });
  });
});

describe('Function: verifyStripeWebhook', () => {
  const secret = 'whsec_test_secret';
  let received: { body: string; signature: string | undefined }[] = [];
  let url: string;
  let server: ReturnType<typeof createServer>;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['stripe-signature'] as string | undefined });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/webhooks/stripe`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = [];
  });

  it('accepts a signed event and names the attempt it is about', async () => {
    await fake.sendWebhook({
      url,
      secret,
      type: 'payment_intent.succeeded',
      object: { id: 'pi_1', object: 'payment_intent', metadata: { repayflow_attempt_id: 'plan-w:1:1' } },
      eventId: 'evt_1',
    });
    const [delivery] = received;
    expect(verifyStripeWebhook(delivery!.body, delivery!.signature, secret, clock.now())).toEqual({
      ok: true,
      eventId: 'evt_1',
      type: 'payment_intent.succeeded',
      attemptId: 'plan-w:1:1',
    });
  });

  it('names the setup of a setup_intent event', async () => {
    await fake.sendWebhook({ url, secret, type: 'setup_intent.succeeded', object: { id: 'seti_1', object: 'setup_intent', metadata: {} } });
    const [delivery] = received;
    expect(verifyStripeWebhook(delivery!.body, delivery!.signature, secret, clock.now())).toMatchObject({ ok: true, setupId: 'seti_1' });
  });

  it('refuses a tampered body', async () => {
    await fake.sendWebhook({
      url,
      secret,
      type: 'payment_intent.succeeded',
      object: { id: 'pi_1', metadata: { repayflow_attempt_id: 'a' } },
      tamper: (p) => p.replace('"a"', '"b"'),
    });
    const [delivery] = received;
    expect(verifyStripeWebhook(delivery!.body, delivery!.signature, secret, clock.now())).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('refuses a signature made with another secret, and a missing one', () => {
    const body = JSON.stringify({ id: 'evt_2', object: 'event', type: 'payment_intent.succeeded', data: { object: {} } });
    expect(verifyStripeWebhook(body, signStripePayload(body, 'whsec_other', clock.now()), secret, clock.now())).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyStripeWebhook(body, undefined, secret, clock.now())).toMatchObject({ ok: false, code: 'missing_signature' });
  });

  it('refuses a replay older than five minutes', async () => {
    await fake.sendWebhook({ url, secret, type: 'payment_intent.succeeded', object: { id: 'pi_1', metadata: {} }, signedAt: new Date(clock.now().getTime() - 6 * MINUTE) });
    const [delivery] = received;
    expect(verifyStripeWebhook(delivery!.body, delivery!.signature, secret, clock.now())).toMatchObject({ ok: false, code: 'expired' });
    const fresh = signStripePayload(delivery!.body, secret, new Date(clock.now().getTime() - 4 * MINUTE));
    expect(verifyStripeWebhook(delivery!.body, fresh, secret, clock.now())).toMatchObject({ ok: true });
  });
});
