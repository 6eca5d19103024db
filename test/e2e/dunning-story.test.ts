/**
 * A dunning story through the HTTP API on the simulated clock: decline → retries → overdue →
 * late fee → manual catch-up → active again; then a deferral, a payoff quote, an early payoff
 * and a returned order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Dunning story: from a declined debit back to an active plan, then paid off', () => {
  let t: TestStack;
  let customerId: string;
  let token: string;
  let planId: string;
  const plan = async () => (await t.http('GET', `/v1/plans/${planId}`, { token })).body;

  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body.id;
    token = (await t.http('POST', '/local/token', { body: { sub: customerId } })).body.token;
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token, body: aPaymentMethod({ token: 'tok_insufficient_funds' }) });
    planId = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId), headers: { 'idempotency-key': 'story-1' } })).body.planId;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('retries on days 1 and 3, turns overdue after the grace period and accrues a daily late fee', async () => {
    // Act: to noon on 6 March, Shanghai (three days overdue).
    await t.http('POST', '/local/run', { body: { until: '2026-03-06T04:00:00Z' } });

    // Assess: attempts on 28 Feb, 1, 3 and 5 March at 09:00; overdue since 4 March. 27 fen a day
    // (0.05 %) would pass the APR cap, which leaves 0.24 − 0.1586 (the plan's own APR) a year:
    // ⌊54,392 × 0.0814 × 3 / 365⌋ = 36 fen.
    const records = (await t.http('GET', `/v1/plans/${planId}/repayments`, { token })).body.items;
    expect(records.map((r: { createdAt: string; status: string }) => `${r.createdAt}:${r.status}`)).toEqual([
      '2026-02-28T01:00:00.000Z:failed',
      '2026-03-01T01:00:00.000Z:failed',
      '2026-03-03T01:00:00.000Z:failed',
      '2026-03-05T01:00:00.000Z:failed',
    ]);
    const p = await plan();
    expect(p.status).toBe('overdue');
    expect(p.installments[0]).toMatchObject({
      status: 'overdue',
      lateFee: { amount: 36, currency: 'CNY' },
      amountDue: { amount: 54_392 + 36, currency: 'CNY' },
      nextAttemptAt: '2026-03-12T01:00:00.000Z',
    });
    const notices = (await t.http('GET', `/v1/customers/${customerId}/notices`, { token })).body.items;
    expect(notices.filter((n: { kind: string }) => n.kind === 'overdue')).toHaveLength(2);
    // Four declines, two told: the first (28 Feb) and the first once overdue (5 March).
    expect(notices.filter((n: { kind: string }) => n.kind === 'repayment_failed')).toHaveLength(2);
  });

  it('catches up everything overdue with a new card and is active again', async () => {
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token, body: aPaymentMethod({ token: 'tok_ok', display: '工商银行 ****8888', makeDefault: true }) });

    const res = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'overdue' }, headers: { 'idempotency-key': 'catch-up-1' } });

    expect(res.status).toBe(201);
    expect(res.body.repayment).toMatchObject({ kind: 'manual', periods: [1], status: 'succeeded', amount: { amount: 54_428, currency: 'CNY' } });
    expect(res.body.plan).toMatchObject({ status: 'active', paidPeriods: 1, unpaidPeriods: 11, nextDueDate: '2026-03-31' });
    const again = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'overdue' }, headers: { 'idempotency-key': 'catch-up-1' } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'overdue' }, headers: { 'idempotency-key': 'catch-up-2' } })).body.code).toBe(
      'REPAYMENT.NOTHING_OVERDUE',
    );
  });

  it('defers one installment once and says why a second deferral is refused', async () => {
    const first = await t.http('POST', `/v1/plans/${planId}/deferrals`, { token, body: { period: 2, days: 10 } });
    expect(first.status).toBe(201);
    expect(first.body.installments[1]).toMatchObject({ dueDate: '2026-04-10', status: 'deferred' });
    const second = await t.http('POST', `/v1/plans/${planId}/deferrals`, { token, body: { period: 3, days: 5 } });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('DEFERRAL.LIMIT_REACHED');
    const tooLong = await t.http('POST', `/v1/plans/${planId}/deferrals`, { token, body: { period: 3, days: 45 } });
    expect(tooLong.status).toBe(409);
  });

  it('quotes a payoff with the future flat fees waived and pays it off', async () => {
    const quote = (await t.http('GET', `/v1/plans/${planId}/payoff-quote`, { token })).body;
    expect(quote).toMatchObject({ asOf: '2026-03-06', principal: { amount: 599_900 - 49_992 }, fee: { amount: 0 }, waived: { amount: 52_791 - 4_400 } });
    expect(quote.total.amount).toBe(599_900 - 49_992);

    const res = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'payoff' }, headers: { 'idempotency-key': 'payoff-1' } });

    expect(res.status).toBe(201);
    expect(res.body.plan).toMatchObject({ status: 'paid_off', unpaidPeriods: 0, nextDueDate: null, outstanding: { amount: 0 } });
    await t.http('POST', '/local/run', { body: { until: '2026-03-06T05:00:00Z' } });
    const notices = (await t.http('GET', `/v1/customers/${customerId}/notices`, { token })).body.items;
    expect(notices.find((n: { kind: string }) => n.kind === 'plan_paid_off')?.body).toContain('已全部还清');
  });

  it('keeps the repayment records equal to what the gateway captured', async () => {
    const records = (await t.http('GET', `/v1/plans/${planId}/repayments`, { token })).body.items.filter((r: { status: string }) => r.status === 'succeeded');
    const charges = (await t.http('GET', '/local/gateway/charges')).body.items.filter((c: { planId: string }) => c.planId === planId);
    expect(records.map((r: { id: string }) => r.id).sort()).toEqual(charges.map((c: { idempotencyKey: string }) => c.idempotencyKey).sort());
    const paid = records.reduce((s: number, r: { amount: { amount: number } }) => s + r.amount.amount, 0);
    expect(paid).toBe(54_428 + 599_900 - 49_992);
  });

  it('cancels a returned order and lists what was paid for refund (admin only)', async () => {
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token, body: aPaymentMethod({ token: 'tok_ok', makeDefault: true }) });
    const other = (
      await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(customerId, { orderId: 'JD-2', purchaseDate: '2026-03-06', periods: 3 }),
        headers: { 'idempotency-key': 'story-2' },
      })
    ).body;
    await t.http('POST', `/v1/plans/${other.planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': 'early-1' } });

    expect((await t.http('POST', `/v1/plans/${other.planId}/cancel`, { token })).status).toBe(403);
    const res = await t.http('POST', `/v1/plans/${other.planId}/cancel`, { token: t.adminToken });

    expect(res.status).toBe(200);
    expect(res.body.plan.status).toBe('cancelled');
    expect(res.body.plan.installments.map((i: { status: string }) => i.status)).toEqual(['paid', 'cancelled', 'cancelled']);
    expect(res.body.refundable).toHaveLength(1);
    expect(res.body.refundTotal.amount).toBe(res.body.plan.installments[0].amountPaid.amount);
  });

  it('answered every request as the OpenAPI document says, whatever the status', async () => {
    expect(t.seen.length).toBeGreaterThan(0);
    expect(await t.contractViolations()).toEqual([]);
  });
});

describe('Dunning story: a card that expired, and the customer who binds another', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('waits for the customer after a non-retryable decline, then retries with the new method at the next sweep', async () => {
    // Prepare: an expired card; the debit on 28 Feb is declined for good.
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: '+8613933330001' }) })).body;
    const token = (await t.http('POST', '/local/token', { body: { sub: cus.id } })).body.token;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token, body: aPaymentMethod({ token: 'tok_expired' }) });
    const planId = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3 }), headers: { 'idempotency-key': 'expired-1' } })).body.planId;
    await t.http('POST', '/local/run', { body: { until: '2026-02-28T06:00:00Z' } });
    const waiting = (await t.http('GET', `/v1/plans/${planId}`, { token })).body.installments[0];
    expect(waiting).toMatchObject({ status: 'failed', lastFailureCode: 'card_expired', needsCustomerAction: true });
    expect(waiting.nextAttemptAt).toBeUndefined();
    const sms = (await t.http('GET', '/local/outbox?channel=sms')).body.items.filter((m: { to: string }) => m.to === '+8613933330001');
    expect(sms.at(-1).body).toContain('过期');

    // Act: the customer binds an Alipay account (not as default) and makes it the default.
    const alipay = (
      await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, {
        token,
        body: aPaymentMethod({ type: 'alipay', token: 'tok_ok', display: 'alipay 139****0001', makeDefault: false }),
      })
    ).body;
    const chosen = await t.http('PATCH', `/v1/customers/${cus.id}/payment-methods/${alipay.id}`, { token, body: { makeDefault: true } });
    expect(chosen.status).toBe(200);
    expect(chosen.body.isDefault).toBe(true);
    await t.http('POST', '/local/run', { body: { until: '2026-02-28T07:00:00Z' } });

    // Assess: paid with the Alipay account at the next sweep; the expired card was not tried again.
    const records = (await t.http('GET', `/v1/plans/${planId}/repayments`, { token })).body.items;
    expect(records.map((r: { status: string; paymentMethod: { id: string } }) => `${r.status}:${r.paymentMethod.id === alipay.id ? 'alipay' : 'card'}`)).toEqual([
      'failed:card',
      'succeeded:alipay',
    ]);
    const methods = (await t.http('GET', `/v1/customers/${cus.id}/payment-methods`, { token })).body.items;
    expect(methods.filter((m: { isDefault: boolean }) => m.isDefault).map((m: { id: string }) => m.id)).toEqual([alipay.id]);
  });

  it('answered every request as the OpenAPI document says, whatever the status', async () => {
    expect(t.seen.length).toBeGreaterThan(0);
    expect(await t.contractViolations()).toEqual([]);
  });
});
