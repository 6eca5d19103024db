/**
 * The whole path through the HTTP API on the simulated clock: a plan bought on 2026-01-31 is
 * reminded, debited on 2026-02-28 at 09:00 Asia/Shanghai, recorded and texted.
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Walking skeleton: one installment reminded, debited, recorded and texted', () => {
  let t: TestStack;
  let customerId: string;
  let customerToken: string;
  let planId: string;

  beforeAll(async () => {
    t = await startTestStack();
    // Prepare: the clock at checkout time, a customer with a card, a 12-month plan.
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    const customer = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() });
    expect(customer.status).toBe(201);
    customerId = customer.body.id;
    customerToken = (await t.http('POST', '/local/token', { body: { sub: customerId } })).body.token;
    const method = await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token: customerToken, body: aPaymentMethod() });
    expect(method.status).toBe(201);
    const plan = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId), headers: { 'idempotency-key': 'checkout-1' } });
    expect(plan.status).toBe(201);
    planId = plan.body.planId;
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('creates the plan with the exact flat split and month-end-anchored due dates', async () => {
    const { status, body } = await t.http('GET', `/v1/plans/${planId}`, { token: customerToken });
    expect(status).toBe(200);
    expect(body.installments.map((i: { dueDate: string }) => i.dueDate).slice(0, 4)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    // 5,999.00 × 0.088 = 527.91 fee; the remainders go one fen at a time to the first periods.
    const principal = body.installments.reduce((s: number, i: { principal: { amount: number } }) => s + i.principal.amount, 0);
    const fee = body.installments.reduce((s: number, i: { fee: { amount: number } }) => s + i.fee.amount, 0);
    expect(principal).toBe(599_900);
    expect(fee).toBe(52_791);
    expect(body.installments[0].principal.amount).toBe(49_992);
    expect(body.installments[11].principal.amount).toBe(49_991);
    expect(body).toMatchObject({ status: 'active', paidPeriods: 0, unpaidPeriods: 12, nextDueDate: '2026-02-28' });
    // The true yearly cost of "0.088 flat over 12 months" (IRR × 12, checked independently).
    expect(body.apr).toBe('0.1586');
  });

  it('replays the first response for the same Idempotency-Key and body', async () => {
    // The same body: the builder gives every plan its own order id, so reuse the first one's.
    const { orderId } = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
    const again = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId, { orderId }), headers: { 'idempotency-key': 'checkout-1' } });
    expect(again.status).toBe(201);
    expect(again.body.planId).toBe(planId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId, { periods: 6 }), headers: { 'idempotency-key': 'checkout-1' } });
    expect(other.status).toBe(422);
  });

  it('reminds 3 and 1 days before at 10:00, debits at 09:00 on the due date, records and texts', async () => {
    // Act: run the simulated clock to just after the first debit.
    const run = await t.http('POST', '/local/run', { body: { until: '2026-02-28T01:30:00Z' } });
    expect(run.status).toBe(200);

    // Assess: the SMS outbox, on the simulated clock.
    const sms = (await t.http('GET', '/local/outbox?channel=sms')).body.items as Array<{ to: string; body: string; at: string }>;
    expect(sms.map((m) => m.at)).toEqual(['2026-02-25T02:00:00.000Z', '2026-02-27T02:00:00.000Z', '2026-02-28T01:00:00.000Z']);
    expect(sms.every((m) => m.to === '+8613912345678')).toBe(true);
    expect(sms[0]!.body).toContain('【repayflow】');
    expect(sms[0]!.body).toContain('2026-02-28');
    expect(sms[2]!.body).toContain('还款');
    expect(sms[2]!.body).toContain('¥543.92');

    const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: customerToken })).body;
    expect(plan).toMatchObject({ paidPeriods: 1, unpaidPeriods: 11, nextDueDate: '2026-03-31', status: 'active' });
    expect(plan.installments[0]).toMatchObject({ status: 'paid', amountPaid: { amount: 54_392, currency: 'CNY' } });

    const records = (await t.http('GET', `/v1/plans/${planId}/repayments`, { token: customerToken })).body.items;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: `${planId}:1:1`, kind: 'auto', periods: [1], status: 'succeeded', amount: { amount: 54_392, currency: 'CNY' } });

    const charges = (await t.http('GET', '/local/gateway/charges')).body.items;
    expect(charges).toEqual([expect.objectContaining({ idempotencyKey: `${planId}:1:1`, amount: 54_392 })]);

    const notices = (await t.http('GET', `/v1/customers/${customerId}/notices`, { token: customerToken })).body.items;
    expect(notices.map((n: { kind: string; status: string }) => `${n.kind}:${n.status}`).sort()).toEqual(['reminder:sent', 'reminder:sent', 'repayment_succeeded:sent']);
    expect(notices[0].to).not.toContain('13912345678');
  });

  it('lets an outside AWS client find the items through the endpoints /local/info names', async () => {
    const info = (await t.http('GET', '/local/info')).body;
    const client = new DynamoDBClient({ endpoint: info.endpoints.dynamodb, region: info.region, credentials: info.credentials });
    const result = await client.send(
      new QueryCommand({ TableName: info.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `plan#${planId}` } } }),
    );
    expect(result.Items!.length).toBeGreaterThanOrEqual(13);
  });

  it('retries an insufficient-funds decline one day later at 09:00 and shows nextAttemptAt', async () => {
    // Checkout happens on the purchase day (intake refuses purchase dates far from today).
    await t.http('POST', '/local/clock', { body: { now: '2026-01-28T04:00:00Z' } });
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: '+8613700000001' }) })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'tok_insufficient_funds' }) });
    const plan = (
      await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { purchaseDate: '2026-01-28', periods: 3 }), headers: { 'idempotency-key': 'checkout-2' } })
    ).body;

    await t.http('POST', '/local/run', { body: { until: '2026-02-28T02:00:00Z' } });

    const detail = (await t.http('GET', `/v1/plans/${plan.planId}`, { token: t.adminToken })).body;
    expect(detail.installments[0]).toMatchObject({ status: 'failed', lastFailureCode: 'insufficient_funds', nextAttemptAt: '2026-03-01T01:00:00.000Z' });
    const records = (await t.http('GET', `/v1/plans/${plan.planId}/repayments`, { token: t.adminToken })).body.items;
    expect(records).toEqual([expect.objectContaining({ status: 'failed', failureCode: 'insufficient_funds' })]);
    const sms = (await t.http('GET', '/local/outbox?channel=sms')).body.items.filter((m: { to: string }) => m.to === '+8613700000001');
    expect(sms.at(-1).body).toContain('余额不足');
    expect(sms.at(-1).body).toContain('2026-03-01 09:00');
  });

  it('answered every request as the OpenAPI document says, whatever the status', async () => {
    expect(t.seen.length).toBeGreaterThan(0);
    expect(await t.contractViolations()).toEqual([]);
  });
});

describe('Bad input on the skeleton routes', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers malformed JSON with a 400 problem and writes nothing', async () => {
    const res = await t.http('POST', '/v1/customers', { token: t.adminToken, rawBody: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('names the missing or mistyped field', async () => {
    const res = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: 12345, name: undefined }) });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'phone']);
  });

  it('refuses a malformed fee rate and an impossible date without creating a plan', async () => {
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    const res = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(cus.id, { fee: { model: 'flat', rate: '8.8%' }, purchaseDate: '2026-02-30' }),
      headers: { 'idempotency-key': 'bad-1' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fee.rate', 'purchaseDate']);
    const list = await t.http('GET', `/v1/plans?customerId=${cus.id}`, { token: t.adminToken });
    expect(list.body.items).toEqual([]);
  });

  it('rejects unsigned and wrongly signed tokens with 401', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"ops","roles":["admin"]}').toString('base64url')}.`;
    expect((await t.http('GET', '/v1/plans?customerId=x', { token: unsigned })).status).toBe(401);
    const forged = t.adminToken.slice(0, -4) + (t.adminToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await t.http('GET', '/v1/plans?customerId=x', { token: forged })).status).toBe(401);
    expect((await t.http('GET', '/v1/plans?customerId=x')).status).toBe(401);
  });

  it("hides another customer's plan behind a 404", async () => {
    const owner = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    await t.http('POST', `/v1/customers/${owner.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    const plan = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(owner.id), headers: { 'idempotency-key': 'own-1' } })).body;
    const stranger = (await t.http('POST', '/local/token', { body: { sub: 'cus_someone_else' } })).body.token;
    expect((await t.http('GET', `/v1/plans/${plan.planId}`, { token: stranger })).status).toBe(404);
    expect((await t.http('POST', '/v1/plans', { token: stranger, body: aPlan(owner.id), headers: { 'idempotency-key': 'x' } })).status).toBe(403);
  });

  it('answered every request as the OpenAPI document says, whatever the status', async () => {
    expect(t.seen.length).toBeGreaterThan(0);
    expect(await t.contractViolations()).toEqual([]);
  });
});
