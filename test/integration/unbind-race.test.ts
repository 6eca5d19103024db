/**
 * Removing a payment method and a debit starting on it at the same moment: the removal holds the
 * method before it looks for charges, and a charge locks its attempt only while no removal holds
 * its method (one DynamoDB transaction), so exactly one of them goes ahead — never a charge with
 * a method whose authorisation was just released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unbindPaymentMethod } from '../../shared/application/customers.ts';
import type { CustomerRepository } from '../../shared/ports/customer-repository.port.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Race: removing a method while a debit starts on it', () => {
  let t: TestStack;
  let seq = 0;

  async function customerWithPlan() {
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139700${String(seq).padStart(5, '0')}` }) })).body;
    const pm = (await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() })).body;
    const created = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(cus.id, { periods: 3, orderId: `ORD-UNBIND-${seq}`, purchaseDate: '2026-01-31' }),
      headers: { 'idempotency-key': `unbind-${seq}` },
    });
    expect(created.status).toBe(201);
    return { customerId: cus.id as string, methodId: pm.id as string, planId: created.body.planId as string };
  }

  /** The customer repository, with `hook` run once just before the removal deletes the method. */
  function deletingAfter(hook: () => Promise<void>): CustomerRepository {
    const customers = t.stack.deps.customers;
    let ran = false;
    const removePaymentMethod = async (customerId: string, paymentMethodId: string) => {
      if (!ran) {
        ran = true;
        await hook();
      }
      return customers.removePaymentMethod(customerId, paymentMethodId);
    };
    return new Proxy(customers, {
      get(target, name) {
        if (name === 'removePaymentMethod') return removePaymentMethod;
        const value = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('keeps a debit that starts between the removal’s check and its delete from charging the removed method', async () => {
    // Prepare: a few seconds before the due date's 09:00 debit (Shanghai).
    t.stack.clock.set(new Date('2026-02-27T16:00:00Z'));
    const { customerId, methodId, planId } = await customerWithPlan();
    const chargesOf = () => t.stack.gateway.charges().filter((c) => c.planId === planId);
    await t.stack.run(new Date('2026-02-28T00:59:50Z'));

    // Act: the 09:00 debit runs after the removal found no charge, before it deletes.
    const removed = await unbindPaymentMethod(
      { ...t.stack.deps, customers: deletingAfter(() => t.stack.run(new Date('2026-02-28T01:00:20Z')).then(() => undefined)) },
      customerId,
      methodId,
    );

    // Assess: the removal went ahead and the debit never charged the method it removed.
    expect(removed.ok).toBe(true);
    expect(chargesOf()).toEqual([]);
    expect(await t.stack.deps.customers.listPaymentMethods(customerId)).toEqual([]);
    const inst = (await t.stack.deps.plans.get(planId))?.installments[0];
    expect(inst?.inflightAttemptId).toBeUndefined();
  });

  it('refuses the removal when the debit locked its attempt first, and lets go of the method', async () => {
    // Prepare: the wallet holds its result, so the debit stays pending on the method.
    t.stack.clock.set(new Date('2026-02-27T16:00:00Z'));
    const { customerId, methodId, planId } = await customerWithPlan();
    t.stack.holdWalletResults = true;
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, {
      token: t.adminToken,
      body: aPaymentMethod({ token: 'tok_async', type: 'alipay', display: 'alipay 138****5678', makeDefault: true }),
    });
    await t.stack.run(new Date('2026-02-28T01:05:00Z'));
    const pending = (await t.stack.deps.plans.listRepayments(planId)).filter((r) => r.status === 'pending');
    expect(pending).toHaveLength(1);
    const walletId = pending[0]!.paymentMethodId!;

    // Act
    const refused = await unbindPaymentMethod(t.stack.deps, customerId, walletId);
    const other = await unbindPaymentMethod(t.stack.deps, customerId, methodId);

    // Assess: refused, and the hold is gone (the card, never charged, could be removed at once).
    expect(refused).toMatchObject({ ok: false, error: { code: 'PAYMENT_METHOD.IN_USE' } });
    expect(other.ok).toBe(true);
    const left = await t.stack.deps.customers.listPaymentMethods(customerId);
    expect(left.map((m) => m.paymentMethodId)).toEqual([walletId]);
    expect((left[0] as { removingUntil?: string }).removingUntil).toBeUndefined();
    t.stack.holdWalletResults = false;
  });

  it('refuses a customer’s own payment on a method a removal holds, charging nothing, and takes it once the hold is let go', async () => {
    // Prepare: a removal has held the method (it is between its check for charges and its delete).
    t.stack.clock.set(new Date('2026-02-10T02:00:00Z'));
    const { customerId, methodId, planId } = await customerWithPlan();
    const token = await t.stack.token(customerId);
    const now = t.stack.clock.now();
    expect(await t.stack.deps.customers.holdForRemoval(customerId, methodId, new Date(now.getTime() + 120_000), now)).toBe(true);
    const chargesOf = () => t.stack.gateway.charges().filter((c) => c.planId === planId);

    // Act: the customer pays the next period with that method at that moment.
    const refused = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': `held-${planId}` } });

    // Assess: refused, nothing charged, nothing pending, the installment free again.
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(chargesOf()).toEqual([]);
    expect((await t.stack.deps.plans.listRepayments(planId)).filter((r) => r.status === 'pending')).toEqual([]);
    expect((await t.stack.deps.plans.get(planId))?.installments[0]?.inflightAttemptId).toBeUndefined();

    // The removal was refused after all: the method is let go, and the payment goes through once.
    await t.stack.deps.customers.releaseRemovalHold(customerId, methodId);
    const paid = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': `free-${planId}` } });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(chargesOf()).toHaveLength(1);
  });
});
