/**
 * Dunning volume on the local stack: a ¥300, 3-period plan on a card that keeps declining,
 * from purchase to default. Every SMS the customer receives is counted and read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const PHONE = '+8613922220009';

describe('Dunning volume: a declining card from purchase to default', () => {
  let t: TestStack;
  let customerId: string;
  let token: string;
  let planId: string;
  let sms: Array<{ to: string; body: string; at: string }>;

  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: PHONE }) })).body.id;
    token = (await t.http('POST', '/local/token', { body: { sub: customerId } })).body.token;
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token, body: aPaymentMethod({ token: 'tok_insufficient_funds' }) });
    const created = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(customerId, { principal: { amount: 30_000, currency: 'CNY' }, periods: 3 }),
      headers: { 'idempotency-key': 'volume-1' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    planId = created.body.planId;
    // Period 1 is due 28 Feb; overdue from 4 March; its 90th overdue day is 1 June.
    await t.http('POST', '/local/run', { body: { until: '2026-06-02T04:00:00Z' } });
    sms = (await t.http('GET', '/local/outbox?channel=sms')).body.items.filter((m: { to: string }) => m.to === PHONE);
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('defaults, with every installment due and no automatic debit pending', async () => {
    const plan = (await t.http('GET', `/v1/plans/${planId}`, { token })).body;
    expect(plan.status).toBe('defaulted');
    for (const i of plan.installments) {
      expect(i.status).toBe('overdue');
      expect(i.nextAttemptAt).toBeUndefined();
    }
  });

  it('sends at most 25 SMS from purchase to default', () => {
    expect(sms.length, sms.map((m) => `${m.at} ${m.body}`).join('\n')).toBeLessThanOrEqual(25);
  });

  it('texts a failure at most once per local day, and never the same text twice', () => {
    const failures = sms.filter((m) => m.body.includes('扣款失败'));
    const days = failures.map((m) => new Date(new Date(m.at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
    expect(new Set(days).size).toBe(days.length);
    expect(new Set(sms.map((m) => m.body)).size).toBe(sms.length);
    // Three installments: each first failure, and each retry once overdue.
    expect(failures.length).toBeLessThanOrEqual(6);
  });

  it('tells the customer the plan defaulted, with everything now due', () => {
    expect(sms.filter((m) => m.body.includes('已违约'))).toHaveLength(1);
    expect(sms.at(-1)!.body).toContain('已全部到期');
  });

  it('settles the plan when the customer pays everything overdue, and says so', async () => {
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token, body: aPaymentMethod({ token: 'tok_ok', display: '工商银行 ****8888', makeDefault: true }) });

    const res = await t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'overdue' }, headers: { 'idempotency-key': 'volume-catch-up' } });

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.plan).toMatchObject({ status: 'paid_off', unpaidPeriods: 0 });
    await t.http('POST', '/local/run', { body: { until: '2026-06-02T05:00:00Z' } });
    const after = (await t.http('GET', '/local/outbox?channel=sms')).body.items.filter((m: { to: string }) => m.to === PHONE);
    expect(after.some((m: { body: string }) => m.body.includes('已全部还清'))).toBe(true);
  });
});
