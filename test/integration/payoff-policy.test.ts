/**
 * Early payoff through the API: the quote says which fee policy applies and costs the same on a
 * due date as the day before; paying exactly the payoff amount under `scope: amount` is a payoff;
 * each plan can choose its own disclosure and payoff policy at checkout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Early payoff through the API', () => {
  let t: TestStack;
  let customerId: string;

  /** 1,200.00 at 8.8% flat over 12 bought 15 Jan 2026: 100.00 + 8.80 a period, due on the 15th. */
  async function newPlan(key: string, policy?: Record<string, string>) {
    const res = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(customerId, {
        principal: { amount: 120_000, currency: 'CNY' },
        periods: 12,
        fee: { model: 'flat', rate: '0.088' },
        purchaseDate: '2026-01-15',
        ...(policy ? { policy } : {}),
      }),
      headers: { 'idempotency-key': key },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestStack();
    t.stack.clock.set(new Date('2026-01-15T02:00:00Z'));
    customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body.id;
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('quotes the same on the first due date as the day before, and says which policy applies', async () => {
    // Prepare
    const plan = await newPlan('payoff-quote');

    // Act: 14 Feb and 15 Feb (before the 09:00 debit), Shanghai
    t.stack.clock.set(new Date('2026-02-14T04:00:00Z'));
    const before = await t.http('GET', `/v1/plans/${plan.planId}/payoff-quote`, { token: t.adminToken });
    t.stack.clock.set(new Date('2026-02-15T00:30:00Z'));
    const on = await t.http('GET', `/v1/plans/${plan.planId}/payoff-quote`, { token: t.adminToken });

    // Assess: 1,200.00, all 12 × 8.80 = 105.60 of fees waived, both days
    for (const quote of [before, on]) {
      expect(quote.status).toBe(200);
      expect(quote.body).toMatchObject({ total: { amount: 120_000 }, waived: { amount: 10_560 }, charging: 'waive_future', currentPeriod: 1 });
    }
  });

  it('pays off a plan paid exactly the payoff amount under scope "amount", waiving the future fees', async () => {
    // Prepare
    t.stack.clock.set(new Date('2026-01-20T04:00:00Z'));
    const plan = await newPlan('payoff-amount');

    // Act
    const paid = await t.http('POST', `/v1/plans/${plan.planId}/repayments`, {
      token: t.adminToken,
      body: { scope: 'amount', amount: { amount: 120_000, currency: 'CNY' } },
      headers: { 'idempotency-key': 'pay-exactly-the-payoff' },
    });

    // Assess: paid off, 120,000 captured once, nothing of the 105.60 in fees charged
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.plan).toMatchObject({ status: 'paid_off', unpaidPeriods: 0, outstanding: { amount: 0 }, amountPaid: { amount: 120_000 } });
    expect(paid.body.plan.installments.every((i: { status: string; fee: { amount: number } }) => i.status === 'paid' && i.fee.amount === 0)).toBe(true);
    expect(
      t.stack.gateway
        .charges()
        .filter((c) => c.planId === plan.planId)
        .map((c) => c.amount),
    ).toEqual([120_000]);
  });

  it('refuses an amount above the payoff amount, naming it', async () => {
    // Prepare
    const plan = await newPlan('payoff-too-much');

    // Act: 1,200.01, within the 1,305.60 scheduled but above what settling costs
    const res = await t.http('POST', `/v1/plans/${plan.planId}/repayments`, {
      token: t.adminToken,
      body: { scope: 'amount', amount: { amount: 120_001, currency: 'CNY' } },
      headers: { 'idempotency-key': 'pay-too-much' },
    });

    // Assess: nothing charged
    expect(res.body).toMatchObject({ code: 'REPAYMENT.AMOUNT_EXCEEDS_OUTSTANDING' });
    expect(res.body.detail).toContain('120000');
    expect(t.stack.gateway.charges().filter((c) => c.planId === plan.planId)).toEqual([]);
  });

  it("freezes a plan's own choices from checkout: the current period's fee, and the EU APRC", async () => {
    // Prepare
    const plan = await newPlan('payoff-current', { payoffFees: 'charge_current_period', aprMethod: 'eu_aprc' });

    // Act
    const quote = await t.http('GET', `/v1/plans/${plan.planId}/payoff-quote`, { token: t.adminToken });

    // Assess: 1,200.00 + period 1's 8.80; the APRC of 12 × 108.80 on 15th of each month from 15 Jan is
    // about 17.1 % effective (0.1586 nominal compounds to (1 + 0.1586/12)^12 − 1 = 0.1706 with equal months)
    expect(quote.body).toMatchObject({ total: { amount: 120_880 }, fee: { amount: 880 }, charging: 'charge_current_period' });
    expect(plan).toMatchObject({ aprMethod: 'eu_aprc' });
    expect(plan.apr).toMatch(/^0\.1(69|70|71|72)$/);
  });

  it('refuses an unknown policy choice at checkout', async () => {
    // Act
    const res = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(customerId, { purchaseDate: '2026-01-20', policy: { payoffFees: 'charge_some' } }),
      headers: { 'idempotency-key': 'payoff-bad-policy' },
    });

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'policy.payoffFees' })]);
  });
});
