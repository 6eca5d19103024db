/**
 * Real money through Stripe's protocol: the whole stack with the Stripe adapter (the official
 * SDK) pointed at a local server that speaks and checks Stripe's API. A card bound through the
 * API is debited off-session on its due date with one PaymentIntent per attempt and the same
 * Idempotency-Key on every retry of that attempt; a declining card is retried on the dunning
 * schedule; a customer's payment that needs 3-D Secure answers 202; the provider's own listing
 * of captures matches the repayment records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CHAOS } from '../../infra/local/chaos.ts';
import { StripeGateway, stripeIdempotencyKey } from '../../shared/adapters/gateway/stripe/stripe-gateway.ts';
import { aCustomer, aPlan } from '../builders/requests.ts';
import { type StripeFake, startStripeFake } from '../fakes/stripe/stripe-fake.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Stripe end to end: cards bound through the API and debited through Stripe', () => {
  let t: TestStack;
  let stripe: StripeFake;
  let seq = 0;

  async function customerWithCard(testCard: string) {
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139200${String(seq).padStart(5, '0')}` }) })).body;
    const bound = await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: { type: 'bank_card', token: testCard } });
    return { customerId: cus.id as string, bound, customerToken: await t.stack.token(cus.id) };
  }
  async function planFor(customerId: string, overrides: Record<string, unknown> = {}) {
    const res = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(customerId, { periods: 3, orderId: `ORD-STRIPE-${seq}`, ...overrides }),
      headers: { 'idempotency-key': `stripe-${seq}` },
    });
    expect(res.status).toBe(201);
    return res.body.planId as string;
  }
  /** The PaymentIntent creations the fake received for one attempt. */
  const creations = (attemptId: string) =>
    stripe
      .exchanges()
      .filter((e) => e.method === 'POST' && e.path === '/v1/payment_intents' && (e.form.metadata as Record<string, string> | undefined)?.repayflow_attempt_id === attemptId);

  beforeAll(async () => {
    let clock: { now(): Date } = { now: () => new Date() };
    stripe = await startStripeFake({ clock: { now: () => clock.now() } });
    t = await startTestStack({
      providers: (stackClock) => {
        clock = stackClock;
        return [new StripeGateway({ secretKey: stripe.secretKey, apiBase: stripe.url, publishableKey: 'pk_test_repayflow', clock: stackClock })];
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await stripe?.stop();
  });

  it('binds pm_card_visa through the API with the display Stripe reports, and refuses a token Stripe does not know', async () => {
    const { bound } = await customerWithCard('pm_card_visa');
    expect(bound.status).toBe(201);
    expect(bound.body).toMatchObject({ type: 'bank_card', display: 'Visa ****4242' });

    const unknown = await customerWithCard('pm_does_not_exist');
    expect(unknown.bound.status).toBe(422);
    expect(unknown.bound.body.errors).toEqual([expect.objectContaining({ field: 'token' })]);
    // A simulated token means nothing to Stripe.
    expect((await customerWithCard('tok_ok')).bound.status).toBe(422);
  });

  it('binds a card on first use through a SetupIntent, completed by the portal or by the signed webhook hint', async () => {
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139200${String(seq).padStart(5, '0')}` }) })).body;
    const customerToken = await t.stack.token(cus.id);
    const started = await t.http('POST', `/v1/customers/${cus.id}/payment-methods/setup`, { token: customerToken, body: { type: 'bank_card' } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ provider: 'stripe', next: { type: 'stripe_sdk', publishableKey: 'pk_test_repayflow' } });
    const setupId = started.body.setupId as string;
    // Before the customer confirms, nothing is bound.
    expect((await t.http('POST', `/v1/customers/${cus.id}/payment-methods/setup/${setupId}/complete`, { token: customerToken })).status).toBe(202);

    // Stripe.js confirms the SetupIntent with the card the customer typed into Elements.
    const confirmed = await fetch(`${stripe.url}/v1/setup_intents/${setupId}/confirm`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stripe.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'payment_method=pm_card_visa',
    });
    expect(confirmed.status).toBe(200);
    // Stripe's webhook arrives first: a hint, completed from Stripe's own answer.
    const { bindingHintHandler } = await import('../../shared/application/bind-payment-method.ts');
    expect(await bindingHintHandler(t.stack.deps).apply('stripe', setupId, cus.id)).toBe('applied');
    expect(await bindingHintHandler(t.stack.deps).apply('stripe', setupId, 'cus_someone_else')).toBe('ignored');

    const completed = await t.http('POST', `/v1/customers/${cus.id}/payment-methods/setup/${setupId}/complete`, { token: customerToken });
    expect(completed.status).toBe(200); // the portal's call finds it done
    expect(completed.body.paymentMethod).toMatchObject({ type: 'bank_card', display: 'Visa ****4242' });
    const methods = (await t.http('GET', `/v1/customers/${cus.id}/payment-methods`, { token: customerToken })).body.items;
    expect(methods).toHaveLength(1);
  });

  it('debits a card on its due date with one off-session PaymentIntent under the attempt id, even when the first answer is lost', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId } = await customerWithCard('pm_card_visa');
    const planId = await planFor(customerId);
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    // Stripe processes the debit but its answer never arrives; the SDK retries with the same key.
    stripe.fault({ kind: 'drop_response', method: 'POST', path: '/v1/payment_intents' });

    await t.stack.run(new Date('2026-02-28T02:00:00Z'));

    const attempt = `${planId}:1:1`;
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => [r.id, r.status, r.provider])).toEqual([[attempt, 'succeeded', 'stripe']]);
    const sent = creations(attempt);
    expect(sent.length).toBeGreaterThanOrEqual(2); // the lost answer was retried…
    expect(new Set(sent.map((e) => e.form.off_session))).toEqual(new Set(['true']));
    const intents = stripe.paymentIntents().filter((pi) => (pi.metadata as Record<string, string>).repayflow_attempt_id === attempt);
    expect(intents).toHaveLength(1); // …under the same Idempotency-Key: one PaymentIntent, one capture
    expect(stripe.ledger().filter((c) => c.metadata.repayflow_attempt_id === attempt)).toHaveLength(1);
    expect(records[0]!.gatewayReference).toBe(intents[0]!.id);
    expect(stripeIdempotencyKey('charge', attempt)).toContain(attempt);
    const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
    expect(plan).toMatchObject({ paidPeriods: 1, unpaidPeriods: 2 });
  });

  it('retries a card Stripe declines for insufficient funds on the dunning schedule, each attempt its own PaymentIntent', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId } = await customerWithCard('pm_card_chargeDeclinedInsufficientFunds');
    const planId = await planFor(customerId);

    await t.stack.run(new Date('2026-03-06T02:00:00Z'));

    const records = (await t.stack.deps.plans.listRepayments(planId)).filter((r) => r.periods.includes(1));
    // Due 28 Feb, then 1, 3 and 5 days after it at 09:00 Shanghai (the default retry offsets).
    expect(records.map((r) => [r.id, r.status, r.failureCode, r.createdAt])).toEqual([
      [`${planId}:1:1`, 'failed', 'insufficient_funds', '2026-02-28T01:00:00.000Z'],
      [`${planId}:1:2`, 'failed', 'insufficient_funds', '2026-03-01T01:00:00.000Z'],
      [`${planId}:1:3`, 'failed', 'insufficient_funds', '2026-03-03T01:00:00.000Z'],
      [`${planId}:1:4`, 'failed', 'insufficient_funds', '2026-03-05T01:00:00.000Z'],
    ]);
    for (const r of records) expect(creations(r.id)).toHaveLength(1);
    expect(stripe.ledger().filter((c) => c.metadata.repayflow_plan_id === planId)).toHaveLength(0);
  });

  it('answers a customer payment on a card that needs 3-D Secure with 202 and the client secret for Stripe.js, then records it once confirmed', async () => {
    t.stack.clock.set(new Date('2026-02-10T04:00:00Z'));
    const { customerId, customerToken } = await customerWithCard('pm_card_authenticationRequired');
    const planId = await planFor(customerId, { purchaseDate: '2026-02-01' });

    const first = await t.http('POST', `/v1/plans/${planId}/repayments`, { token: customerToken, body: { scope: 'next' }, headers: { 'idempotency-key': 'sca-1' } });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'requires_action', next: { type: 'stripe_sdk', publishableKey: 'pk_test_repayflow' } });
    expect(first.body.next.clientSecret).toMatch(/^pi_.+_secret_/);

    // The customer completes 3-D Secure with Stripe.js; the same request learns the result.
    stripe.completeAction(String(first.body.next.clientSecret).split('_secret_')[0]!, true);
    const again = await t.http('POST', `/v1/plans/${planId}/repayments`, { token: customerToken, body: { scope: 'next' }, headers: { 'idempotency-key': 'sca-1' } });
    expect(again.status).toBe(201);
    expect(again.body.repayment).toMatchObject({ status: 'succeeded' });
    expect(stripe.ledger().filter((c) => c.metadata.repayflow_plan_id === planId)).toHaveLength(1);
  });

  it('records a failed 3-D Secure only after cancelling the PaymentIntent, so the customer cannot complete it later', async () => {
    t.stack.clock.set(new Date('2026-02-10T04:00:00Z'));
    const { customerId, customerToken } = await customerWithCard('pm_card_authenticationRequired');
    const planId = await planFor(customerId, { purchaseDate: '2026-02-01' });
    const first = await t.http('POST', `/v1/plans/${planId}/repayments`, { token: customerToken, body: { scope: 'next' }, headers: { 'idempotency-key': 'sca-fail' } });
    const intentId = String(first.body.next.clientSecret).split('_secret_')[0]!;

    stripe.completeAction(intentId, false);
    const again = await t.http('POST', `/v1/plans/${planId}/repayments`, { token: customerToken, body: { scope: 'next' }, headers: { 'idempotency-key': 'sca-fail' } });

    expect(again.status).toBe(402);
    expect(again.body.detail).toContain('authentication_failed');
    // The customer still holds the client secret: the intent is cancelled, nothing can capture.
    expect(stripe.paymentIntents().find((pi) => pi.id === intentId)).toMatchObject({ status: 'canceled' });
    expect(stripe.ledger().filter((c) => c.metadata.repayflow_plan_id === planId)).toHaveLength(0);
  });

  it("lists Stripe's captures of a day exactly as the repayment records have them", async () => {
    const from = new Date('2026-02-27T16:00:00Z'); // 28 Feb, Shanghai
    const to = new Date('2026-02-28T16:00:00Z');
    const captures = await t.stack.deps.gateway.captures('stripe', from, to);
    const recorded = [];
    for (const c of captures) {
      const planId = c.idempotencyKey.split(':')[0]!;
      recorded.push(await t.stack.deps.plans.getRepayment(planId, c.idempotencyKey));
    }
    expect(captures.length).toBeGreaterThan(0);
    expect(recorded.map((r) => [r?.status, r?.amount])).toEqual(captures.map((c) => ['succeeded', c.amount]));
  });

  it('keeps every installment paid once under chaos: duplicate deliveries, timeouts and crashes after the charge', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const plans: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { customerId } = await customerWithCard('pm_card_visa');
      plans.push(await planFor(customerId, { periods: 2 }));
    }
    t.stack.chaos.configure({ duplicateDelivery: true, gatewayTimeoutRate: 0.3, crashAfterChargeRate: 0.3, seed: 11 });
    await t.stack.run(new Date('2026-04-01T00:00:00Z'));
    t.stack.chaos.configure(NO_CHAOS);
    await t.stack.run(new Date('2026-04-02T00:00:00Z'));

    for (const planId of plans) {
      const succeeded = (await t.stack.deps.plans.listRepayments(planId)).filter((r) => r.status === 'succeeded');
      const captured = stripe.ledger().filter((c) => c.metadata.repayflow_plan_id === planId);
      expect(succeeded.map((r) => r.id).sort()).toEqual(captured.map((c) => c.metadata.repayflow_attempt_id).sort());
      expect(succeeded.reduce((s, r) => s + r.amount, 0)).toBe(captured.reduce((s, c) => s + c.amount, 0));
      const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
      expect(plan.status).toBe('paid_off');
    }
  }, 180_000);

  it('answered every request as the OpenAPI document says, whatever the status', async () => {
    expect(t.seen.length).toBeGreaterThan(0);
    expect(await t.contractViolations()).toEqual([]);
  });
});
