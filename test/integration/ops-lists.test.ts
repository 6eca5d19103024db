/**
 * The operators' lists on the emulators: failed repayment attempts (with the reason and the next
 * retry, each once although every message came twice) and notices suppressed, newest first with
 * cursor paging, for admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

async function newPlan(t: TestStack, token: string, customer: Record<string, unknown> = {}) {
  const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(customer) })).body;
  await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token }) });
  const plan = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3 }), headers: { 'idempotency-key': `lists-${cus.id}` } });
  expect(plan.status).toBe(201);
  return { planId: plan.body.planId as string, customerId: cus.id as string, firstAmount: plan.body.installments[0].amountDue.amount as number };
}

type FailedAttempt = {
  planId: string;
  customerId?: string;
  repayment: { periods: number[]; amount: { amount: number }; status: string; failureCode?: string; createdAt: string };
  nextAttemptAt?: string;
};

describe('Operators lists: failed attempts and notices that did not go out', () => {
  let t: TestStack;
  let declined: Awaited<ReturnType<typeof newPlan>>;
  let declinedToo: Awaited<ReturnType<typeof newPlan>>;
  let customerIds: string[];

  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    const paying = await newPlan(t, 'tok_ok');
    declined = await newPlan(t, 'tok_insufficient_funds');
    // One phone number for all four: its reminder days pass the SMS limit (3 a day), so SMS are suppressed.
    declinedToo = await newPlan(t, 'tok_insufficient_funds');
    const fourth = await newPlan(t, 'tok_ok');
    customerIds = [paying, declined, declinedToo, fourth].map((p) => p.customerId);
    // Every SQS message is delivered twice from here on.
    await t.http('POST', '/local/chaos', { body: { duplicateDelivery: true } });
    // The first debits run on 28 February at 09:00 Shanghai (01:00 UTC).
    await t.stack.run(new Date('2026-02-28T03:00:00Z'));
    await t.http('POST', '/local/chaos', { body: { duplicateDelivery: false } });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('lists each failed debit once, with its customer, period, amount, reason and next retry', async () => {
    const res = await t.http('GET', '/v1/ops/failed-attempts', { token: t.adminToken });

    expect(res.status).toBe(200);
    expect(res.body.cursor).toBeNull();
    const items = res.body.items as FailedAttempt[];
    expect(items.map((i) => i.planId).sort()).toEqual([declined.planId, declinedToo.planId].sort());
    const mine = items.find((i) => i.planId === declined.planId)!;
    expect(mine).toMatchObject({
      customerId: declined.customerId,
      repayment: { periods: [1], status: 'failed', failureCode: 'insufficient_funds', amount: { amount: declined.firstAmount } },
    });
    expect(mine.nextAttemptAt).toBeDefined();
    expect(Date.parse(mine.nextAttemptAt!)).toBeGreaterThan(Date.parse(mine.repayment.createdAt));
    expect(await t.contractViolations()).toEqual([]);
  });

  it('pages the failed attempts with a cursor, newest first, each once', async () => {
    const first = await t.http('GET', '/v1/ops/failed-attempts?limit=1', { token: t.adminToken });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.cursor).toEqual(expect.any(String));
    const second = await t.http('GET', `/v1/ops/failed-attempts?limit=1&cursor=${encodeURIComponent(first.body.cursor)}`, { token: t.adminToken });
    expect(second.body.items).toHaveLength(1);
    const [a, b] = [first.body.items[0] as FailedAttempt, second.body.items[0] as FailedAttempt];
    expect(a.planId).not.toBe(b.planId);
    expect(a.repayment.createdAt >= b.repayment.createdAt).toBe(true);
    if (second.body.cursor) {
      const third = await t.http('GET', `/v1/ops/failed-attempts?limit=1&cursor=${encodeURIComponent(second.body.cursor)}`, { token: t.adminToken });
      expect(third.body).toEqual({ items: [], cursor: null });
    }
  });

  it('lists the suppressed notices with their reason, and no sent one', async () => {
    const res = await t.http('GET', '/v1/ops/notices?status=suppressed', { token: t.adminToken });

    expect(res.status).toBe(200);
    const items = res.body.items as Array<{ customerId: string; status: string; reason?: string; createdAt: string }>;
    // Every suppressed notice of the customers, and only those (each customer's own list tells them).
    const perCustomer = await Promise.all(
      customerIds.map(async (id) => (await t.http('GET', `/v1/customers/${id}/notices?limit=100`, { token: t.adminToken })).body.items as Array<{ id: string; status: string }>),
    );
    const expected = perCustomer.flat().filter((n) => n.status === 'suppressed');
    expect(expected.length).toBeGreaterThan(0);
    expect(items.map((n) => (n as unknown as { id: string }).id).sort()).toEqual(expected.map((n) => n.id).sort());
    expect(items.every((n) => n.status === 'suppressed' && n.reason === 'daily SMS limit reached: at most 3 SMS per number per day')).toBe(true);
    expect(items.map((n) => n.createdAt)).toEqual(
      items
        .map((n) => n.createdAt)
        .sort()
        .reverse(),
    );
    expect((await t.http('GET', '/v1/ops/notices?status=failed', { token: t.adminToken })).body).toEqual({ items: [], cursor: null });
  });

  it('refuses a list outside the two outcomes, and a cursor it did not hand out', async () => {
    expect((await t.http('GET', '/v1/ops/notices?status=sent', { token: t.adminToken })).status).toBe(400);
    expect((await t.http('GET', '/v1/ops/notices', { token: t.adminToken })).status).toBe(400);
    const bad = await t.http('GET', '/v1/ops/failed-attempts?cursor=not-a-cursor', { token: t.adminToken });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('REQUEST.INVALID_CURSOR');
  });

  it('lists a notice whose send was abandoned under failed, and drops it once it is sent after all', async () => {
    const { notices } = t.stack.deps;
    const notice = {
      dedupeKey: 'evt_lists_abandoned:sms',
      customerId: declined.customerId,
      planId: declined.planId,
      kind: 'repayment_failed',
      channel: 'sms',
      to: '+86139****5678',
      body: 'text',
      status: 'pending',
      createdAt: '2026-02-28T01:00:00.000Z',
    } as const;
    expect(await notices.claim(notice, new Date('2026-02-28T01:01:00Z'))).toBe(true);
    expect(await notices.abandon(notice.dedupeKey, new Date('2026-02-28T01:05:00Z'), 'the sender stopped mid-send')).toBe(true);

    const failed = await t.http('GET', '/v1/ops/notices?status=failed', { token: t.adminToken });
    expect(failed.body.items).toEqual([expect.objectContaining({ id: notice.dedupeKey, status: 'failed', reason: 'the sender stopped mid-send' })]);

    await notices.save({ ...notice, status: 'sent', sentAt: '2026-02-28T01:06:00.000Z' });
    expect((await t.http('GET', '/v1/ops/notices?status=failed', { token: t.adminToken })).body).toEqual({ items: [], cursor: null });
  });

  it('answers customers 403', async () => {
    const token = (await t.http('POST', '/local/token', { body: { sub: declined.customerId } })).body.token;
    for (const path of ['/v1/ops/failed-attempts', '/v1/ops/notices?status=suppressed']) {
      const res = await t.http('GET', path, { token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH.ADMIN_REQUIRED');
    }
  });
});
