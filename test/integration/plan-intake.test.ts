/**
 * Pricing and intake through POST /v1/plans: every refusal is a 422 (409 for a second plan on an
 * order) problem naming the field at fault, and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;
let shanghai: string;
let newYork: string;

beforeAll(async () => {
  t = await startTestStack();
  // 20:00 UTC on 31 January is already 1 February 04:00 in Shanghai, still 31 January 15:00 in New York.
  await t.http('POST', '/local/clock', { body: { now: '2026-01-31T20:00:00Z' } });
  shanghai = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body.id;
  newYork = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: '+12125550123', locale: 'en', timeZone: 'America/New_York' }) })).body.id;
  for (const id of [shanghai, newYork]) await t.http('POST', `/v1/customers/${id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
});

afterAll(async () => {
  await t?.stop();
});

const post = (body: Record<string, unknown>, key: string = randomUUID()) => t.http('POST', '/v1/plans', { token: t.adminToken, body, headers: { 'idempotency-key': key } });

function expectRefusal(res: { status: number; headers: Headers; body: any }, status: number, code: string, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.code).toBe(code);
  expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
}

async function planCount(customerId: string): Promise<number> {
  return (await t.http('GET', `/v1/plans?customerId=${customerId}&limit=100`, { token: t.adminToken })).body.items.length;
}

describe('POST /v1/plans: cost cap', () => {
  it('creates 0.088 flat over 12 months at APR 0.1586', async () => {
    const res = await post(aPlan(shanghai, { purchaseDate: '2026-01-31' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.apr).toBe('0.1586');
  });

  it('refuses a flat rate of 50 with 422 naming fee, writing nothing', async () => {
    const before = await planCount(newYork);
    const res = await post(aPlan(newYork, { fee: { model: 'flat', rate: '50' }, purchaseDate: '2026-01-31', principal: { amount: 99_900, currency: 'USD' } }));
    expectRefusal(res, 422, 'PLAN.APR_ABOVE_MAX', 'fee');
    expect(res.body.maxApr).toBe('0.24');
    expect(await planCount(newYork)).toBe(before);
  });
});

describe('POST /v1/plans: purchase date window, in the customer’s time zone', () => {
  it('refuses 1900-01-01 naming purchaseDate', async () => {
    expectRefusal(await post(aPlan(shanghai, { purchaseDate: '1900-01-01' })), 422, 'PLAN.PURCHASE_DATE_OUTSIDE_WINDOW', 'purchaseDate');
  });

  it('takes 2 February as tomorrow in Shanghai but as the day after tomorrow in New York', async () => {
    expect((await post(aPlan(shanghai, { purchaseDate: '2026-02-02' }))).status).toBe(201);
    expectRefusal(
      await post(aPlan(newYork, { purchaseDate: '2026-02-02', principal: { amount: 99_900, currency: 'USD' } })),
      422,
      'PLAN.PURCHASE_DATE_OUTSIDE_WINDOW',
      'purchaseDate',
    );
  });

  it('reaches 30 days back: 2 January in Shanghai, but 1 January only in New York', async () => {
    expect((await post(aPlan(shanghai, { purchaseDate: '2026-01-02' }))).status).toBe(201);
    expectRefusal(await post(aPlan(shanghai, { purchaseDate: '2026-01-01' })), 422, 'PLAN.PURCHASE_DATE_OUTSIDE_WINDOW', 'purchaseDate');
    expect((await post(aPlan(newYork, { purchaseDate: '2026-01-01', principal: { amount: 99_900, currency: 'USD' } }))).status).toBe(201);
  });
});

describe('POST /v1/plans: one plan per order', () => {
  it('refuses a second plan for the same orderId with 409 naming orderId', async () => {
    const orderId = `JD-UNIQUE-${randomUUID()}`;
    expect((await post(aPlan(shanghai, { orderId, purchaseDate: '2026-01-31' }))).status).toBe(201);
    const before = await planCount(newYork);
    expectRefusal(await post(aPlan(newYork, { orderId, purchaseDate: '2026-01-31', principal: { amount: 99_900, currency: 'USD' } })), 409, 'PLAN.ORDER_HAS_PLAN', 'orderId');
    expect(await planCount(newYork)).toBe(before);
  });

  it('still answers a replay of the same request (same Idempotency-Key) with the first plan', async () => {
    const body = aPlan(shanghai, { purchaseDate: '2026-01-31' });
    const key = randomUUID();
    const first = await post(body, key);
    expect(first.status).toBe(201);
    const again = await post(body, key);
    expect(again.status).toBe(201);
    expect(again.body.planId).toBe(first.body.planId);
  });
});

describe('POST /v1/plans: no 0.00 installment, no totals beyond the exact range', () => {
  it('refuses 5 fen over 12 interest-free periods naming principal and the smallest that works (12 fen)', async () => {
    const res = await post(aPlan(shanghai, { principal: { amount: 5, currency: 'CNY' }, fee: { model: 'flat', rate: '0' }, purchaseDate: '2026-01-31' }));
    expectRefusal(res, 422, 'PLAN.ZERO_INSTALLMENT', 'principal');
    expect(res.body.smallestPrincipal).toEqual({ amount: 12, currency: 'CNY' });
  });

  it('refuses 2^53 − 1 fen at 0.088 with 422, not a 5xx', async () => {
    const res = await post(aPlan(shanghai, { principal: { amount: Number.MAX_SAFE_INTEGER, currency: 'CNY' }, purchaseDate: '2026-01-31' }));
    expectRefusal(res, 422, 'PLAN.AMOUNT_OUT_OF_RANGE', 'principal');
  });
});

describe('POST /v1/plans: currency of the market and of the payment method', () => {
  it('refuses a USD plan for a customer whose market is China, naming principal.currency', async () => {
    expectRefusal(await post(aPlan(shanghai, { principal: { amount: 99_900, currency: 'USD' } })), 422, 'PLAN.CURRENCY_NOT_MARKET', 'principal.currency');
  });

  it('refuses a USD plan on an Alipay account named by paymentMethodId', async () => {
    const alipay = (
      await t.http('POST', `/v1/customers/${newYork}/payment-methods`, {
        token: t.adminToken,
        body: aPaymentMethod({ type: 'alipay', display: 'alipay 138****5678', makeDefault: false }),
      })
    ).body;
    const before = await planCount(newYork);
    expectRefusal(await post(aPlan(newYork, { principal: { amount: 99_900, currency: 'USD' }, paymentMethodId: alipay.id })), 422, 'PLAN.CURRENCY_NOT_METHOD', 'paymentMethodId');
    expect(await planCount(newYork)).toBe(before);
  });
});

describe('POST /v1/customers and PATCH: profile rules', () => {
  const create = (overrides: Record<string, unknown>) => t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(overrides) });

  it('refuses +8612345678901 with 422 naming phone', async () => {
    expectRefusal(await create({ phone: '+8612345678901' }), 422, 'CUSTOMER.INVALID_PHONE', 'phone');
  });

  it('refuses asia/shanghai, suggesting Asia/Shanghai, and EST', async () => {
    const res = await create({ timeZone: 'asia/shanghai' });
    expectRefusal(res, 422, 'CUSTOMER.TIME_ZONE_NOT_CANONICAL', 'timeZone');
    expect(res.body.suggestion).toBe('Asia/Shanghai');
    expectRefusal(await create({ timeZone: 'EST' }), 422, 'CUSTOMER.TIME_ZONE_NOT_CANONICAL', 'timeZone');
  });

  it('refuses a control character in the name and email notices without an address', async () => {
    expectRefusal(await create({ name: 'Amy\u202eChen' }), 422, 'CUSTOMER.NAME_CONTROL_CHARACTERS', 'name');
    expectRefusal(await create({ notifications: { sms: true, email: true } }), 422, 'CUSTOMER.EMAIL_REQUIRED', 'email');
    expectRefusal(await t.http('PATCH', `/v1/customers/${shanghai}`, { token: t.adminToken, body: { notifications: { email: true } } }), 422, 'CUSTOMER.EMAIL_REQUIRED', 'email');
    expect((await t.http('GET', `/v1/customers/${shanghai}`, { token: t.adminToken })).body.notifications.email).toBe(false);
  });
});
