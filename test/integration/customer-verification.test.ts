/**
 * A customer's payment the provider wants confirmed (3-D Secure, a wallet password): the API
 * answers 202 with the provider's next step, the payment stays pending under its lock, the
 * result is recorded from the provider's answer, and an abandoned verification is cancelled at
 * the provider and released when its lease ends — it can never capture later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Customer payments that the provider wants confirmed', () => {
  let t: TestStack;
  let seq = 0;

  async function planOn(token: string) {
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139100${String(seq).padStart(5, '0')}` }) })).body;
    const pm = await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token, display: undefined }) });
    expect(pm.status).toBe(201);
    const plan = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(cus.id, { periods: 3, orderId: `ORD-3DS-${seq}`, purchaseDate: '2026-02-01' }),
      headers: { 'idempotency-key': `3ds-${seq}` },
    });
    return { planId: plan.body.planId as string, customerToken: await t.stack.token(cus.id), display: pm.body.display as string };
  }
  const captured = (planId: string) => t.stack.gateway.charges().filter((c) => c.planId === planId);
  const pay = (planId: string, token: string, key: string) =>
    t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': key } });

  beforeAll(async () => {
    t = await startTestStack();
    t.stack.clock.set(new Date('2026-02-10T04:00:00Z'));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("takes the card's display from the provider", async () => {
    const { display } = await planOn('pm_card_authenticationRequired');
    expect(display).toBe('Visa ****3184');
  });

  it('answers 202 with the next step, then records the payment once the customer has confirmed', async () => {
    const { planId, customerToken } = await planOn('pm_card_authenticationRequired');

    const first = await pay(planId, customerToken, 'confirm-1');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'requires_action', repayment: { status: 'pending' }, next: { type: 'redirect' } });
    expect(captured(planId)).toHaveLength(0);
    // While the customer confirms, the installment is held: nothing else pays it.
    expect((await pay(planId, customerToken, 'confirm-other')).body).toMatchObject({ code: 'REPAYMENT.IN_PROGRESS' });

    const key = decodeURIComponent(String(first.body.next.url).split('/').pop()!);
    expect(t.stack.gateway.confirmAction(key, true)).toBe(true);
    const again = await pay(planId, customerToken, 'confirm-1');

    expect(again.status).toBe(201);
    expect(again.body.repayment).toMatchObject({ status: 'succeeded' });
    expect(again.body.plan.installments[0]).toMatchObject({ status: 'paid' });
    expect(captured(planId)).toHaveLength(1);
  });

  it('records a failed confirmation as declined, charging nothing', async () => {
    const { planId, customerToken } = await planOn('pm_card_authenticationRequired');
    const first = await pay(planId, customerToken, 'fail-1');
    const key = decodeURIComponent(String(first.body.next.url).split('/').pop()!);
    t.stack.gateway.confirmAction(key, false);

    const again = await pay(planId, customerToken, 'fail-1');

    expect(again.status).toBe(402);
    expect(again.body.detail).toContain('authentication_failed');
    expect(captured(planId)).toHaveLength(0);
    expect((await t.stack.deps.plans.listRepayments(planId)).map((r) => [r.status, r.failureCode])).toEqual([['failed', 'authentication_failed']]);
  });

  it('cancels an abandoned verification at the provider when its lease ends, so it can never capture', async () => {
    const { planId, customerToken } = await planOn('pm_card_authenticationRequired');
    const first = await pay(planId, customerToken, 'abandon-1');
    const key = decodeURIComponent(String(first.body.next.url).split('/').pop()!);

    // Act: the customer walks away; the agenda comes by after the lease.
    await t.stack.run(new Date(t.stack.clock.now().getTime() + 20 * 60_000));

    // Assess: failed, lock released, and a late confirmation captures nothing.
    expect((await t.stack.deps.plans.listRepayments(planId)).map((r) => [r.status, r.failureCode])).toEqual([['failed', 'authentication_abandoned']]);
    const detail = await t.stack.deps.plans.get(planId);
    expect(detail!.installments[0]!.inflightAttemptId).toBeUndefined();
    expect(t.stack.gateway.confirmAction(key, true)).toBe(false);
    expect(captured(planId)).toHaveLength(0);
  });

  it('declines an automatic debit that needs the customer, and waits for them instead of retrying', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139100${String(seq).padStart(5, '0')}` }) })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'pm_card_authenticationRequired' }) });
    const planId = (
      await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3, orderId: `ORD-3DS-${seq}` }), headers: { 'idempotency-key': `3ds-${seq}` } })
    ).body.planId;

    await t.stack.run(new Date('2026-03-05T02:00:00Z'));

    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => r.failureCode)).toEqual(['authentication_required']);
    const detail = await t.stack.deps.plans.get(planId);
    expect(detail!.installments[0]).toMatchObject({ needsCustomerAction: true, lastFailureCode: 'authentication_required' });
    expect(captured(planId)).toHaveLength(0);
  });
});
