/**
 * Retention: every kind of record that should not live for ever carries the table's TTL
 * attribute, set when it is written from RETENTION_DAYS (shared/config/retention.ts), and the
 * idempotency records keep no full phone number or email address. Read from DynamoDB Local as
 * stored, not through the API.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { DynamoWebhookEventStore } from '../../shared/adapters/webhooks/dynamo-webhook-event-store.ts';
import { DEFAULT_RETENTION } from '../../shared/config/retention.ts';
import { table } from '../../shared/config/table.ts';
import { aCustomer } from '../builders/requests.ts';
import { buildFixtures, rawItems } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const NOW = '2026-01-31T04:00:00Z';
const DAY = 86_400;
const ttl = table.timeToLiveAttribute;
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
  await t.http('POST', '/local/clock', { body: { now: NOW } });
});

afterAll(async () => {
  await t?.stop();
});

const itemsOf = async (entity: string, match: (item: Record<string, unknown>) => boolean) => (await rawItems(t)).filter((i) => i.__edb_e__ === entity && match(i));

describe('Retention: the TTL each kind of record carries', () => {
  it('keeps an idempotency record 7 days, with the phone and email of the response masked', async () => {
    const key = randomUUID();
    const phone = '+8613912345678';
    const email = 'meimei.han@example.com';
    const created = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone, email }), headers: { 'idempotency-key': key } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phone, email });

    const [record] = await itemsOf('idempotency', (i) => i.key === key);
    expect(record).toBeDefined();
    expect(record![ttl]).toBe(epoch(NOW) + DEFAULT_RETENTION.idempotency * DAY);
    const stored = JSON.stringify(record);
    expect(stored).not.toContain('13912345678');
    expect(stored).not.toContain(email);
    expect(JSON.parse(record!.response as string)).toMatchObject({ id: created.body.id, phone: '****5678', email: 'm***@example.com' });

    // The replay answers from the stored record: the same customer, contact details masked.
    const replayed = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone, email }), headers: { 'idempotency-key': key } });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toMatchObject({ id: created.body.id, phone: '****5678', email: 'm***@example.com' });
  });

  it('keeps a webhook event 90 days', async () => {
    const store = new DynamoWebhookEventStore(dynamoDocumentClient({ endpoints: { dynamodb: t.stack.endpoints.dynamodb } }), t.stack.resources.tableName);
    const eventId = `evt_${randomUUID()}`;
    expect(await store.begin('simulated', eventId, createHash('sha256').update('{}').digest('hex'), new Date(NOW))).toBeUndefined();
    const [record] = await itemsOf('idempotency', (i) => i.key === eventId);
    expect(record?.[ttl]).toBe(epoch(NOW) + DEFAULT_RETENTION.webhookEvents * DAY);
  });

  it('keeps a paid-off plan, its installments, records and order entry 10 years from the payoff; its notices 400 days', async () => {
    const f = await buildFixtures(t);
    const open = await itemsOf('installment', (i) => i.planId === f.planId);
    expect(open.length).toBe(3);
    for (const item of open) expect(item[ttl]).toBeUndefined();

    await t.http('POST', '/local/clock', { body: { now: '2026-02-10T02:00:00Z' } });
    const paid = await t.http('POST', `/v1/plans/${f.planId}/repayments`, { token: f.ownerToken, body: { scope: 'payoff' }, headers: { 'idempotency-key': randomUUID() } });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    await t.http('POST', '/local/run', { body: { until: '2026-02-10T03:00:00Z' } });
    expect((await t.http('GET', `/v1/plans/${f.planId}`, { token: f.ownerToken })).body.status).toBe('paid_off');

    const until = epoch('2026-02-10T02:00:00Z') + DEFAULT_RETENTION.closedPlans * DAY;
    const planItems = await itemsOf('plan', (i) => i.planId === f.planId);
    const installments = await itemsOf('installment', (i) => i.planId === f.planId);
    const records = await itemsOf('repayment', (i) => i.planId === f.planId);
    const order = await itemsOf('orderPlan', (i) => i.planId === f.planId);
    expect([planItems.length, installments.length, order.length]).toEqual([1, 3, 1]);
    expect(records.length).toBeGreaterThanOrEqual(1);
    for (const item of [...planItems, ...installments, ...records, ...order]) expect(item[ttl], String(item.sk)).toBe(until);

    const notices = await itemsOf('notice', (i) => i.customerId === f.customerId);
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices) expect(notice[ttl], String(notice.kind)).toBe(epoch(notice.createdAt as string) + DEFAULT_RETENTION.notices * DAY);
  });

  it('keeps a cancelled plan 10 years from its cancellation', async () => {
    const f = await buildFixtures(t);
    const cancelled = await t.http('POST', `/v1/plans/${f.planId}/cancel`, { token: t.adminToken });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const [plan] = await itemsOf('plan', (i) => i.planId === f.planId);
    expect(plan?.cancelledAt).toBe(t.stack.clock.now().toISOString());
    const until = epoch(plan!.cancelledAt as string) + DEFAULT_RETENTION.closedPlans * DAY;
    const items = [plan!, ...(await itemsOf('installment', (i) => i.planId === f.planId)), ...(await itemsOf('orderPlan', (i) => i.planId === f.planId))];
    expect(items.length).toBe(5);
    for (const item of items) expect(item[ttl], String(item.sk)).toBe(until);
  });
});
