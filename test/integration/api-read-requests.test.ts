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

  it("answers 404 for another customer's plan after one read", async () => {
    const other = await t.stack.token('cus_someone_else');
    meter.reset();
    const res = await t.http('GET', `/v1/plans/${planId}`, { token: other });
    expect(res.status).toBe(404);
    expect(meter.total()).toBe(1);
  });
});
