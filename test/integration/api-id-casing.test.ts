/**
 * Ids are case-sensitive everywhere: the permission check compares the token's `sub` with the
 * customer id exactly, so the table must store and look up keys exactly as given too. A token
 * for `cus_a…` reaches nothing of customer `cus_A…`; Idempotency-Keys and webhook event ids
 * that differ only by case are different keys.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { DynamoWebhookEventStore } from '../../shared/adapters/webhooks/dynamo-webhook-event-store.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;
const suffix = randomUUID().slice(0, 8);
const upper = `cus_A${suffix}`;
const lower = `cus_a${suffix}`;
let lowerToken: string;
let planId: string;
let methodId: string;

beforeAll(async () => {
  t = await startTestStack();
  await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
  const customer = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ id: upper }) });
  expect(customer.status).toBe(201);
  const method = await t.http('POST', `/v1/customers/${upper}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
  expect(method.status).toBe(201);
  methodId = method.body.id;
  const plan = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(upper, { periods: 3 }), headers: { 'idempotency-key': randomUUID() } });
  expect(plan.status).toBe(201);
  planId = plan.body.planId;
  lowerToken = await t.stack.token(lower);
});

afterAll(async () => {
  await t?.stop();
});

describe('A token for an id that differs only by case', () => {
  it('does not read the customer, its methods, notices or plans by their id', async () => {
    for (const path of [
      `/v1/customers/${upper}`,
      `/v1/customers/${upper}/payment-methods`,
      `/v1/customers/${upper}/notices`,
      `/v1/plans/${planId}`,
      `/v1/plans/${planId}/repayments`,
    ]) {
      const res = await t.http('GET', path, { token: lowerToken });
      expect(res.status, path).toBe(404);
    }
    expect((await t.http('PATCH', `/v1/customers/${upper}`, { token: lowerToken, body: { locale: 'en' } })).status).toBe(404);
  });

  it('does not reach them through its own id either', async () => {
    expect((await t.http('GET', `/v1/customers/${lower}`, { token: lowerToken })).status).toBe(404);
    expect((await t.http('PATCH', `/v1/customers/${lower}`, { token: lowerToken, body: { locale: 'en' } })).status).toBe(404);
    const methods = await t.http('GET', `/v1/customers/${lower}/payment-methods`, { token: lowerToken });
    expect(methods.body.items ?? []).toEqual([]);
    expect((await t.http('DELETE', `/v1/customers/${lower}/payment-methods/${methodId}`, { token: lowerToken })).status).toBe(404);
    const plans = await t.http('GET', '/v1/plans', { token: lowerToken });
    expect(plans.status).toBe(200);
    expect(plans.body.items).toEqual([]);
    const profile = await t.http('GET', `/v1/customers/${upper}`, { token: t.adminToken });
    expect(profile.body.locale).toBe('zh-CN');
    const owned = await t.http('GET', `/v1/customers/${upper}/payment-methods`, { token: t.adminToken });
    expect(owned.body.items.map((m: { id: string }) => m.id)).toContain(methodId);
  });

  it('is another customer: the admin can create it beside the first', async () => {
    const other = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ id: lower, name: 'Li Lei' }) });
    expect(other.status).toBe(201);
    expect((await t.http('GET', `/v1/customers/${lower}`, { token: lowerToken })).body.name).toBe('Li Lei');
    expect((await t.http('GET', `/v1/customers/${upper}`, { token: t.adminToken })).body.name).toBe(aCustomer().name);
  });
});

describe('Keys that differ only by case', () => {
  it('are two Idempotency-Keys: two requests, two plans', async () => {
    const body = aPlan(upper, { periods: 3, orderId: `JD-${suffix}` });
    const first = await t.http('POST', '/v1/plans', { token: t.adminToken, body, headers: { 'idempotency-key': `PayKey-${suffix}` } });
    // Another order: were the keys merged, this would be refused as a reused key (422), not created.
    const second = await t.http('POST', '/v1/plans', { token: t.adminToken, body: { ...body, orderId: `JD-${suffix}-2` }, headers: { 'idempotency-key': `paykey-${suffix}` } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.planId).not.toBe(first.body.planId);
  });

  it('are two webhook events', async () => {
    const events = new DynamoWebhookEventStore(dynamoDocumentClient({ endpoints: { dynamodb: t.stack.endpoints.dynamodb } }), t.stack.resources.tableName);
    const now = new Date('2026-01-31T04:00:00Z');
    expect(await events.begin('simulated', `EvT_${suffix}`, 'hash-1', now)).toBeUndefined();
    expect(await events.begin('simulated', `evt_${suffix}`, 'hash-2', now)).toBeUndefined();
    expect(await events.begin('simulated', `EvT_${suffix}`, 'hash-1', now)).toBeDefined();
  });
});
