/**
 * What a read of the API costs in DynamoDB requests, counted by a metering proxy in front of
 * DynamoDB Local (the one `npm run bench` uses), never by time.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Meter, startMeter } from '../../bench/meter.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('API read requests', () => {
  let t: TestStack;
  let meter: Meter;
  let planId: string;
  let customer: { id: string; token: string };

  beforeAll(async () => {
    meter = await startMeter(inject('dynamodbEndpoint'));
    t = await startTestStack({ dynamodbEndpoint: meter.endpoint });
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    customer = { id: cus.id, token: await t.stack.token(cus.id) };
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    planId = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id), headers: { 'idempotency-key': `k-${cus.id}` } })).body.planId;
  });
  afterAll(async () => {
    await t?.stop();
    await meter?.close();
  });

  it("reads a customer's plan once: the access guard's read serves the route", async () => {
    meter.reset();
    const res = await t.http('GET', `/v1/plans/${planId}`, { token: customer.token });
    expect(res.status).toBe(200);
    expect(res.body.planId).toBe(planId);
    expect(Object.fromEntries(meter.requests)).toEqual({ Query: 1 });
  });

  it('reads the plan once for an admin too (no guard read)', async () => {
    meter.reset();
    const res = await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken });
    expect(res.status).toBe(200);
    expect(Object.fromEntries(meter.requests)).toEqual({ Query: 1 });
  });

  it("lists a page of a customer's orders in one query, summaries included", async () => {
    for (let n = 0; n < 4; n++) {
      await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customer.id), headers: { 'idempotency-key': `list-${customer.id}-${n}` } });
    }
    meter.reset();
    const res = await t.http('GET', '/v1/plans?limit=50', { token: customer.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    expect(Object.fromEntries(meter.requests)).toEqual({ Query: 1 });
    // The stored summary is what the order's own page shows.
    const { installments: _i, ...detail } = (await t.http('GET', `/v1/plans/${planId}`, { token: customer.token })).body;
    expect(res.body.items.find((p: { planId: string }) => p.planId === planId)).toEqual(detail);

    meter.reset();
    const admin = await t.http('GET', `/v1/plans?customerId=${customer.id}&limit=50`, { token: t.adminToken });
    expect(admin.body.items).toEqual(res.body.items);
    expect(Object.fromEntries(meter.requests)).toEqual({ Query: 1 });
  });

  it("searches every customer's plans by status, one query per page", async () => {
    const other = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body.id as string;
    await t.http('POST', `/v1/customers/${other}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    const theirs = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(other), headers: { 'idempotency-key': `status-${other}` } })).body.planId as string;
    const cancelled = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(other), headers: { 'idempotency-key': `status-${other}-2` } })).body.planId as string;
    expect((await t.http('POST', `/v1/plans/${cancelled}/cancel`, { token: t.adminToken })).status).toBe(200);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    meter.reset();
    do {
      const res: { status: number; body: { items: Array<{ planId: string; status: string }>; cursor: string | null } } = await t.http(
        'GET',
        `/v1/plans?status=active&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: t.adminToken },
      );
      expect(res.status).toBe(200);
      for (const item of res.body.items) expect(item.status).toBe('active');
      seen.push(...res.body.items.map((p) => p.planId));
      cursor = res.body.cursor;
      pages++;
    } while (cursor);
    expect(meter.requests.get('Query')).toBe(pages);
    expect(meter.total()).toBe(pages);
    expect(seen).toContain(planId);
    expect(seen).toContain(theirs);
    expect(seen).not.toContain(cancelled);
    expect(new Set(seen).size).toBe(seen.length);

    const gone = await t.http('GET', '/v1/plans?status=cancelled', { token: t.adminToken });
    expect(gone.body.items.map((p: { planId: string }) => p.planId)).toEqual([cancelled]);
    expect(gone.body.items[0]).toMatchObject({ status: 'cancelled', unpaidPeriods: 0, outstanding: { amount: 0 }, nextDueDate: null });
  });

  it('keeps a customer to their own plans whatever status they ask for', async () => {
    const res = await t.http('GET', '/v1/plans?status=active&limit=100', { token: customer.token });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const item of res.body.items) expect(item.customerId).toBe(customer.id);
    expect((await t.http('GET', '/v1/plans?status=cancelled', { token: customer.token })).body.items).toEqual([]);
  });

  it('asks an admin for a customer or a status, and refuses an unknown status', async () => {
    const none = await t.http('GET', '/v1/plans', { token: t.adminToken });
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('REQUEST.INVALID');
    const bad = await t.http('GET', '/v1/plans?status=late', { token: t.adminToken });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('status');
  });

  it('pays an installment reading the plan once before its lock and once under it', async () => {
    meter.reset();
    const res = await t.http('POST', `/v1/plans/${planId}/repayments`, { token: customer.token, body: { scope: 'next' }, headers: { 'idempotency-key': `pay-${planId}` } });
    expect(res.status).toBe(201);
    // Queries: the access guard's read of the plan (the route and the payment plan on it), the
    // read under the payment's lock (an auto-debit may have finished in between), and the
    // customer's methods before and after writing the pending payment (an unbind in between
    // revokes it). Every later step works on what it wrote: 8 queries before.
    expect(Object.fromEntries(meter.requests)).toEqual({
      Query: 4,
      GetItem: 1, // the repayment under this key, if any
      PutItem: 1, // the idempotency record…
      UpdateItem: 1, // …and its answer
      TransactWriteItems: 3, // the lock, the pending payment, the recorded payment
    });
  });

  it("answers 404 for another customer's plan after one read", async () => {
    const other = await t.stack.token('cus_someone_else');
    meter.reset();
    const res = await t.http('GET', `/v1/plans/${planId}`, { token: other });
    expect(res.status).toBe(404);
    expect(meter.total()).toBe(1);
  });
});
