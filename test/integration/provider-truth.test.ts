/**
 * Nothing is recorded without the provider's word: a charge that may have happened is
 * resolved by a status query under its own key at the provider that was charged, whatever
 * happened to the payment method since; and a method with a charge in flight or pending cannot
 * be removed. Each case is a double charge that was reproduced on the local stack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_CHAOS } from '../../infra/local/chaos.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Provider truth: a charge that may have happened is asked about, never repeated', () => {
  let t: TestStack;
  let seq = 0;

  async function customerWithPlan(method: Record<string, unknown> = {}, plan: Record<string, unknown> = {}) {
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139000${String(seq).padStart(5, '0')}` }) })).body;
    const pm = (await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod(method) })).body;
    const created = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(cus.id, { periods: 3, orderId: `ORD-TRUTH-${seq}`, ...plan }),
      headers: { 'idempotency-key': `truth-${seq}` },
    });
    expect(created.status).toBe(201);
    return { customerId: cus.id as string, methodId: pm.id as string, planId: created.body.planId as string, token: await t.stack.token(cus.id) };
  }
  const captured = (planId: string) => t.stack.gateway.charges().filter((c) => c.planId === planId);
  const recorded = async (planId: string) => (await t.stack.deps.plans.listRepayments(planId)).filter((r) => r.status === 'succeeded');
  const sum = (xs: Array<{ amount: number }>) => xs.reduce((s, x) => s + x.amount, 0);

  beforeAll(async () => {
    t = await startTestStack();
  });
  afterEach(() => {
    t.stack.chaos.configure(NO_CHAOS);
    t.stack.holdWalletResults = false;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('records a customer payment whose request died after the charge once, even after its method was removed', async () => {
    // Prepare: the customer pays; the provider captures and the request dies before the write.
    t.stack.clock.set(new Date('2026-02-10T04:00:00Z'));
    const { customerId, methodId, planId, token } = await customerWithPlan({}, { purchaseDate: '2026-02-01' });
    t.stack.chaos.configure({ crashAfterChargeRate: 1 });
    const died = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': 'pay-once' } });
    expect(died.status).toBe(500);
    t.stack.chaos.configure(NO_CHAOS);

    // Act: removing the method is refused while the payment is unresolved…
    const refused = await t.http('DELETE', `/v1/customers/${customerId}/payment-methods/${methodId}`, { token });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'PAYMENT_METHOD.IN_USE' });
    expect(refused.body.detail).toContain(`${planId}:manual:`);
    // …and even if it goes anyway (a removal that raced the payment), the retry asks the provider:
    // at once it is told to come back (the dead request's lease still holds), then it records.
    await t.stack.deps.customers.removePaymentMethod(customerId, methodId);
    const early = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': 'pay-once' } });
    expect(early.status).toBe(409);
    expect(early.headers.get('retry-after')).toBe('60');
    t.stack.clock.set(new Date('2026-02-10T04:03:00Z'));
    const retried = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': 'pay-once' } });

    // Assess: captured once, recorded once, the installment paid; nothing left to charge again.
    expect(retried.status).toBe(201);
    expect(retried.body.repayment).toMatchObject({ status: 'succeeded' });
    expect(captured(planId)).toHaveLength(1);
    expect(sum(await recorded(planId))).toBe(sum(captured(planId)));
    const plan = (await t.http('GET', `/v1/plans/${planId}`, { token })).body;
    expect(plan.installments[0]).toMatchObject({ status: 'paid' });
    const again = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': 'pay-twice' } });
    expect(again.body).toMatchObject({ code: 'PAYMENT_METHOD.NOT_FOUND' }); // no method left: nothing is charged
    expect(captured(planId)).toHaveLength(1);
  });

  it("never lets a customer's request and the agenda work on one payment at once", async () => {
    t.stack.clock.set(new Date('2026-02-10T04:00:00Z'));
    const { planId } = await customerWithPlan({}, { purchaseDate: '2026-02-01' });
    const plans = t.stack.deps.plans;
    const at = (iso: string) => new Date(iso);
    const lease = (iso: string) => new Date(at(iso).getTime() + 2 * 60_000);
    const id = `${planId}:manual:0123456789abcdef`;

    // A request holds it: neither another request nor the agenda takes it before its lease ends.
    expect(await plans.lockForPayment(planId, [1], id, lease('2026-02-10T04:00:00Z'), at('2026-02-10T04:00:00Z'))).toBe(true);
    expect(await plans.lockForPayment(planId, [1], id, lease('2026-02-10T04:01:00Z'), at('2026-02-10T04:01:00Z'))).toBe(false);
    expect(await plans.lockForPayment(planId, [1], id, lease('2026-02-10T04:01:00Z'), at('2026-02-10T04:01:00Z'), 'agenda')).toBe(false);
    // Waiting for the customer's confirmation: their next request takes it over at once.
    expect(await plans.lockForPayment(planId, [1], id, at('2026-02-10T04:15:00Z'), at('2026-02-10T04:01:00Z'), 'customer')).toBe(true);
    expect(await plans.lockForPayment(planId, [1], id, lease('2026-02-10T04:02:00Z'), at('2026-02-10T04:02:00Z'))).toBe(true);
    // Once that lease ran out, the agenda takes it alone: the customer waits until it is done.
    expect(await plans.lockForPayment(planId, [1], id, lease('2026-02-10T04:05:00Z'), at('2026-02-10T04:05:00Z'), 'agenda')).toBe(true);
    expect(await plans.lockForPayment(planId, [1], id, lease('2026-02-10T04:05:30Z'), at('2026-02-10T04:05:30Z'))).toBe(false);
    // Another payment never shares it.
    expect(await plans.lockForPayment(planId, [1], `${planId}:manual:fedcba9876543210`, lease('2026-02-10T04:30:00Z'), at('2026-02-10T04:30:00Z'))).toBe(false);
    await plans.unlock(planId, [1], id);
  });

  it('records an automatic debit whose worker died after the charge once, even after its method was removed', async () => {
    // Prepare: the debit captures on the due date and the worker dies before the write.
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId, methodId, planId } = await customerWithPlan();
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.chaos.configure({ crashAfterChargeRate: 1 });
    await t.stack.run(new Date('2026-02-28T01:01:00Z'));
    t.stack.chaos.configure(NO_CHAOS);
    expect(captured(planId)).toHaveLength(1);
    expect(await recorded(planId)).toHaveLength(0);

    // Act: the method is refused removal, then removed anyway (the race); the agenda resumes the attempt.
    expect((await t.http('DELETE', `/v1/customers/${customerId}/payment-methods/${methodId}`, { token: t.adminToken })).status).toBe(409);
    await t.stack.deps.customers.removePaymentMethod(customerId, methodId);
    await t.stack.run(new Date('2026-02-28T02:00:00Z'));

    // Assess: the provider's capture is recorded once, under the attempt that made it.
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => [r.id, r.status])).toEqual([[`${planId}:1:1`, 'succeeded']]);
    expect(captured(planId)).toHaveLength(1);
    expect(sum(await recorded(planId))).toBe(sum(captured(planId)));
  });

  it('settles a pending wallet debit from the provider after its method was removed, instead of failing it', async () => {
    // Prepare: a wallet accepts the debit and confirms later; the method goes meanwhile.
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId, methodId, planId } = await customerWithPlan({ type: 'alipay', token: 'tok_async', display: 'alipay 138****5678' });
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.holdWalletResults = true;
    await t.stack.run(new Date('2026-02-28T01:01:00Z'));
    t.stack.holdWalletResults = false;
    expect((await t.stack.deps.plans.listRepayments(planId)).map((r) => r.status)).toEqual(['pending']);
    expect((await t.http('DELETE', `/v1/customers/${customerId}/payment-methods/${methodId}`, { token: t.adminToken })).status).toBe(409);
    await t.stack.deps.customers.removePaymentMethod(customerId, methodId);

    // Act: the wallet settles; its webhook is a hint, the status query the truth.
    await t.stack.run(new Date('2026-02-28T02:00:00Z'));

    // Assess
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => r.status)).toEqual(['succeeded']);
    expect(captured(planId)).toHaveLength(1);
  });

  it('resolves a pending wallet debit by the status check when the webhook never comes, after its method was removed', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId, methodId, planId } = await customerWithPlan({ type: 'alipay', token: 'tok_async', display: 'alipay 138****5678' });
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.holdWalletResults = true;
    await t.stack.run(new Date('2026-02-28T01:01:00Z'));
    t.stack.holdWalletResults = false;
    await t.stack.deps.customers.removePaymentMethod(customerId, methodId);
    // The wallet captured, but its notification is lost.
    t.stack.gateway.settlePending();

    // Act: the status check comes by.
    await t.stack.run(new Date('2026-02-28T03:00:00Z'));

    // Assess: recorded as the provider says, not as "invalid method".
    expect((await t.stack.deps.plans.listRepayments(planId)).map((r) => [r.status, r.failureCode])).toEqual([['succeeded', undefined]]);
    expect(captured(planId)).toHaveLength(1);
  });
});
