/**
 * Reliability under injected faults (SPEC §5): every message delivered twice, 30 % gateway
 * timeouts with unknown outcomes, workers dying between the charge and the database write.
 * Money must be captured exactly once per installment, every capture recorded, every notice
 * sent once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const PLANS = 8;

describe('Reliability: a quarter of repayments under chaos', () => {
  let t: TestStack;
  const planIds: string[] = [];
  const phones: string[] = [];

  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-15T02:00:00Z' } });
    for (let i = 0; i < PLANS; i++) {
      const phone = `+86139000000${String(i).padStart(2, '0')}`;
      phones.push(phone);
      const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone }) })).body;
      await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
      const plan = await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(cus.id, { purchaseDate: '2026-01-15', periods: 3, orderId: `R-${i}` }),
        headers: { 'idempotency-key': `rel-${i}` },
      });
      planIds.push(plan.body.planId);
    }
    const chaos = await t.http('POST', '/local/chaos', { body: { duplicateDelivery: true, gatewayTimeoutRate: 0.3, crashAfterChargeRate: 0.2, seed: 7 } });
    expect(chaos.status).toBe(200);

    await t.http('POST', '/local/run', { body: { until: '2026-05-15T00:00:00Z' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('ends with every installment paid', async () => {
    for (const planId of planIds) {
      const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
      expect(plan.installments.map((i: { status: string }) => i.status)).toEqual(['paid', 'paid', 'paid']);
      expect(plan.status).toBe('paid_off');
    }
  });

  it('captures each installment exactly once and records every capture', async () => {
    const charges = (await t.http('GET', '/local/gateway/charges')).body.items as Array<{ idempotencyKey: string; planId: string; amount: number }>;
    for (const planId of planIds) {
      const captured = charges.filter((c) => c.planId === planId);
      const periods = captured.map((c) => Number(c.idempotencyKey.split(':')[1]));
      expect(periods.sort()).toEqual([1, 2, 3]);
      const records = (await t.http('GET', `/v1/plans/${planId}/repayments`, { token: t.adminToken })).body.items;
      const succeeded = records.filter((r: { status: string }) => r.status === 'succeeded');
      expect(succeeded.map((r: { id: string }) => r.id).sort()).toEqual(captured.map((c) => c.idempotencyKey).sort());
      expect(succeeded.reduce((s: number, r: { amount: { amount: number } }) => s + r.amount.amount, 0)).toBe(captured.reduce((s, c) => s + c.amount, 0));
    }
  });

  it('reconciles every day of the run to zero differences', () => {
    const runs = t.stack.reconciliations;
    expect(runs.length).toBeGreaterThanOrEqual(119);
    expect(runs.reduce((s, r) => s + r.captures, 0)).toBe(PLANS * 3);
    expect(runs.filter((r) => r.differences > 0)).toEqual([]);
  });

  it('sends every SMS once despite every message arriving twice', async () => {
    const sms = (await t.http('GET', '/local/outbox?channel=sms')).body.items as Array<{ to: string; body: string }>;
    const seen = new Set<string>();
    for (const m of sms) {
      const key = `${m.to}|${m.body}`;
      expect(seen.has(key), `duplicate SMS to ${m.to}: ${m.body}`).toBe(false);
      seen.add(key);
    }
    for (const phone of phones) {
      expect(sms.filter((m) => m.to === phone && m.body.includes('成功')).length).toBeGreaterThanOrEqual(3);
    }
  });
});
