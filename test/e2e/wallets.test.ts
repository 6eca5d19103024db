/**
 * Wallet debits that complete asynchronously: the simulated wallet accepts the automatic debit,
 * the attempt is recorded as pending, and the signed webhook settles it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Wallets: asynchronous completion through the signed webhook', () => {
  let t: TestStack;

  async function walletPlan(token: string, phone: string, type = 'alipay') {
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone }) })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ type, token, display: `${type} 139****${phone.slice(-4)}` }) });
    const plan = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3 }), headers: { 'idempotency-key': `wallet-${phone}` } })).body;
    return plan.planId as string;
  }

  let alipayPlan: string;
  let wechatPlan: string;

  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    alipayPlan = await walletPlan('tok_async', '+8613911110001');
    wechatPlan = await walletPlan('tok_async_declined', '+8613911110002', 'wechat_pay');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('records a pending Alipay debit and settles it as paid when the wallet confirms', async () => {
    const planId = alipayPlan;

    await t.http('POST', '/local/run', { body: { until: '2026-02-28T01:30:00Z' } });

    const records = (await t.http('GET', `/v1/plans/${planId}/repayments`, { token: t.adminToken })).body.items;
    expect(records).toEqual([expect.objectContaining({ id: `${planId}:1:1`, status: 'succeeded', kind: 'auto' })]);
    const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
    expect(plan).toMatchObject({ paidPeriods: 1, nextDueDate: '2026-03-31' });
    expect(plan.installments[0].status).toBe('paid');
    const charges = (await t.http('GET', '/local/gateway/charges')).body.items.filter((c: { planId: string }) => c.planId === planId);
    expect(charges).toHaveLength(1);
    const sms = (await t.http('GET', '/local/outbox?channel=sms')).body.items.filter((m: { to: string }) => m.to === '+8613911110001');
    expect(sms.at(-1).body).toContain('成功');
  });

  it("turns a wallet's later decline into a failed attempt with a retry the next day", async () => {
    // WeChat Pay debits after the reminders (its pre-debit notice) and within 07:00-22:00.
    const planId = wechatPlan;

    await t.http('POST', '/local/run', { body: { until: '2026-02-28T02:00:00Z' } });

    const records = (await t.http('GET', `/v1/plans/${planId}/repayments`, { token: t.adminToken })).body.items;
    expect(records).toEqual([expect.objectContaining({ status: 'failed', failureCode: 'insufficient_funds' })]);
    const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
    expect(plan.installments[0]).toMatchObject({ status: 'failed', nextAttemptAt: '2026-03-01T01:00:00.000Z' });
  });

  it('ignores a replayed or unknown wallet result', async () => {
    const body = JSON.stringify({ id: 'evt_unknown', type: 'payment.succeeded', data: { idempotencyKey: 'plan_nope:1:1', amount: 100, currency: 'CNY' } });
    const { signWebhook } = await import('../../functions/api/webhooks.ts');
    const res = await fetch(`${t.url}/v1/webhooks/simulated`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-repayflow-signature': signWebhook(t.stack.webhookSecret, body, Math.floor(t.stack.clock.now().getTime() / 1000)) },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'ignored' });
  });

  it('answered every request as the OpenAPI document says, whatever the status', async () => {
    expect(t.seen.length).toBeGreaterThan(0);
    expect(await t.contractViolations()).toEqual([]);
  });
});
