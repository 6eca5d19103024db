/**
 * Idempotency-Key on the POSTs that create or pay: the first response is replayed for the same
 * key and request, another request under the key is a 422, and N identical requests racing
 * each other take effect once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { buildFixtures, countEntity } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const RACERS = 8;

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
  await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
});

afterAll(async () => {
  await t?.stop();
});

/** Every racer got the one result (fresh or replayed) or was told the first is still running. */
function expectOneEffect(responses: Array<{ status: number; headers: Headers; body: any }>, idOf: (body: any) => string) {
  const created = responses.filter((r) => r.status === 201);
  const busy = responses.filter((r) => r.status === 409);
  expect(created.length + busy.length, JSON.stringify(responses.map((r) => r.status))).toBe(responses.length);
  expect(created.length).toBeGreaterThanOrEqual(1);
  expect(new Set(created.map((r) => idOf(r.body))).size).toBe(1);
  expect(created.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
  for (const r of busy) expect(r.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY.IN_PROGRESS' });
}

describe('Idempotency-Key: POST /v1/customers (optional key)', () => {
  it('creates without a key, each time', async () => {
    const before = await countEntity(t, 'customer');
    const a = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() });
    const b = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    expect(await countEntity(t, 'customer')).toBe(before + 2);
  });

  it('replays the first response for the same key and body, and creates once', async () => {
    const key = randomUUID();
    const before = await countEntity(t, 'customer');
    const first = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(), headers: { 'idempotency-key': key } });
    const again = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(), headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // The stored response keeps no full phone number: the replay shows it masked.
    expect(again.body).toEqual({ ...first.body, phone: `****${first.body.phone.slice(-4)}` });
    expect(await countEntity(t, 'customer')).toBe(before + 1);
  });

  it('refuses the same key with another body (422) and writes nothing', async () => {
    const key = randomUUID();
    await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(), headers: { 'idempotency-key': key } });
    const before = await countEntity(t, 'customer');
    const other = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: '李雷' }), headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    expect(await countEntity(t, 'customer')).toBe(before);
  });

  it('keeps keys apart per caller', async () => {
    const key = randomUUID();
    const otherAdmin = await t.stack.token('ops-2', ['admin']);
    const a = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(), headers: { 'idempotency-key': key } });
    const b = await t.http('POST', '/v1/customers', { token: otherAdmin, body: aCustomer(), headers: { 'idempotency-key': key } });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('does not spend the key on a request that failed validation', async () => {
    const key = randomUUID();
    const bad = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: 'call me' }), headers: { 'idempotency-key': key } });
    expect(bad.status).toBe(400);
    const good = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(), headers: { 'idempotency-key': key } });
    expect(good.status).toBe(201);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('replays a refusal as the problem it was', async () => {
    const id = `cus_${randomUUID().slice(0, 8)}`;
    await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ id }) });
    const key = randomUUID();
    const first = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ id }), headers: { 'idempotency-key': key } });
    const again = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ id }), headers: { 'idempotency-key': key } });
    expect(first.status).toBe(409);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('refuses an empty or over-long key', async () => {
    const long = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(), headers: { 'idempotency-key': 'k'.repeat(256) } });
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'idempotency-key' })]);
  });

  it(`creates one customer when ${RACERS} identical requests race`, async () => {
    const key = randomUUID();
    const before = await countEntity(t, 'customer');
    const responses = await Promise.all(
      Array.from({ length: RACERS }, () => t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(), headers: { 'idempotency-key': key } })),
    );
    expectOneEffect(responses, (b) => b.id);
    expect(await countEntity(t, 'customer')).toBe(before + 1);
  });
});

describe('Idempotency-Key: POST /v1/customers/{id}/payment-methods (optional key)', () => {
  it(`binds one method when ${RACERS} identical requests race, and replays it afterwards`, async () => {
    const customer = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    const token = await t.stack.token(customer.id);
    const key = randomUUID();
    const send = () => t.http('POST', `/v1/customers/${customer.id}/payment-methods`, { token, body: aPaymentMethod(), headers: { 'idempotency-key': key } });
    const responses = await Promise.all(Array.from({ length: RACERS }, send));
    expectOneEffect(responses, (b) => b.id);
    const methods = (await t.http('GET', `/v1/customers/${customer.id}/payment-methods`, { token })).body.items;
    expect(methods).toHaveLength(1);
    const later = await send();
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(later.body.id).toBe(methods[0].id);
  });

  it('refuses the key on another customer path as another request (422)', async () => {
    const a = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    const b = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    const key = randomUUID();
    expect((await t.http('POST', `/v1/customers/${a.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod(), headers: { 'idempotency-key': key } })).status).toBe(201);
    const other = await t.http('POST', `/v1/customers/${b.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod(), headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect((await t.http('GET', `/v1/customers/${b.id}/payment-methods`, { token: t.adminToken })).body.items).toEqual([]);
  });
});

describe('Idempotency-Key: POST /v1/plans (required key)', () => {
  it('refuses a plan without a key and writes nothing', async () => {
    const customer = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    const res = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customer.id) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REQUIRED' });
    expect((await t.http('GET', `/v1/plans?customerId=${customer.id}`, { token: t.adminToken })).body.items).toEqual([]);
  });

  it(`creates one plan when ${RACERS} identical checkouts race`, async () => {
    const customer = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    await t.http('POST', `/v1/customers/${customer.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    const key = randomUUID();
    const body = aPlan(customer.id, { periods: 3 });
    const responses = await Promise.all(Array.from({ length: RACERS }, () => t.http('POST', '/v1/plans', { token: t.adminToken, body, headers: { 'idempotency-key': key } })));
    expectOneEffect(responses, (b) => b.planId);
    expect((await t.http('GET', `/v1/plans?customerId=${customer.id}`, { token: t.adminToken })).body.items).toHaveLength(1);
  });
});

describe('Idempotency-Key: POST /v1/plans/{planId}/repayments (required key)', () => {
  it(`charges once when ${RACERS} identical repayments race`, async () => {
    const f = await buildFixtures(t);
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: RACERS }, () =>
        t.http('POST', `/v1/plans/${f.planId}/repayments`, { token: f.ownerToken, body: { scope: 'next' }, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    expect(responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const charges = (await t.http('GET', '/local/gateway/charges')).body.items.filter((c: { planId: string }) => c.planId === f.planId);
    expect(charges).toHaveLength(1);
    const manual = (await t.http('GET', `/v1/plans/${f.planId}/repayments`, { token: f.ownerToken })).body.items.filter((r: { kind: string }) => r.kind === 'manual');
    expect(manual).toHaveLength(1);
  });

  it("never answers one caller's key with another caller's payment", async () => {
    const f = await buildFixtures(t);
    const key = randomUUID();
    const customer = await t.http('POST', `/v1/plans/${f.planId}/repayments`, { token: f.ownerToken, body: { scope: 'next' }, headers: { 'idempotency-key': key } });
    const admin = await t.http('POST', `/v1/plans/${f.planId}/repayments`, { token: t.adminToken, body: { scope: 'payoff' }, headers: { 'idempotency-key': key } });

    expect(customer.status).toBe(201);
    expect(admin.status).toBe(201);
    expect(admin.headers.get('idempotent-replayed')).toBeNull();
    expect(admin.body.repayment.id).not.toBe(customer.body.repayment.id);
    expect(admin.body.plan).toMatchObject({ status: 'paid_off' });
  });

  it('refuses a key written for one payment when it comes back asking for another', async () => {
    const f = await buildFixtures(t);
    const key = randomUUID();
    const first = await t.http('POST', `/v1/plans/${f.planId}/repayments`, { token: f.ownerToken, body: { scope: 'next' }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    // The HTTP layer's record of the key is gone (a day later, say); the payment's record is not.
    const { repayPlan } = await import('../../shared/application/plan-actions.ts');
    const other = await repayPlan(t.stack.deps, { planId: f.planId, scope: 'payoff', idempotencyKey: key, caller: f.customerId });

    expect(other).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY.KEY_REUSED' } });
  });
});
