/**
 * A customer's data rights on the local stack: `GET /v1/customers/{id}/export` returns
 * everything held about them; `DELETE /v1/customers/{id}` erases their personal data, refused
 * (409, naming why) while a plan owes money or a payment is in progress, and logged without
 * personal data. Checked through the API and, for what is left behind, in the table as stored.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { rawItems, snapshotTable } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
  t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
});

afterAll(async () => {
  await t?.stop();
});

/** A customer whose name, phone and email appear nowhere else in the table. */
async function aCustomerWithPlan(method: Record<string, unknown> = {}) {
  const tag = randomUUID().slice(0, 8);
  const profile = {
    name: `Erin ${tag}`,
    phone: `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
    email: `erin.${tag}@example.com`,
    notifications: { sms: true, email: true },
  };
  const created = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(profile) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const customerId = created.body.id as string;
  const bound = await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod(method) });
  expect(bound.status, JSON.stringify(bound.body)).toBe(201);
  const plan = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId, { periods: 3 }), headers: { 'idempotency-key': randomUUID() } });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  return {
    customerId,
    profile,
    methodId: bound.body.id as string,
    display: bound.body.display as string,
    planId: plan.body.planId as string,
    token: await t.stack.token(customerId),
  };
}

const payOff = async (c: { planId: string; token: string }) => {
  const paid = await t.http('POST', `/v1/plans/${c.planId}/repayments`, { token: c.token, body: { scope: 'payoff' }, headers: { 'idempotency-key': randomUUID() } });
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);
  // The notices of the payment go out.
  await t.stack.run(new Date(t.stack.clock.now().getTime() + 3_600_000));
};

describe('GET /v1/customers/{id}/export', () => {
  it('returns the profile, masked methods, plans with installments and records, and notices, never cached', async () => {
    const c = await aCustomerWithPlan();
    await payOff(c);
    const opened = await t.http('POST', '/v1/support/cases', { token: c.token, body: { category: 'other', planId: c.planId, message: 'Where is my receipt?' } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    for (const token of [c.token, t.adminToken]) {
      const res = await t.http('GET', `/v1/customers/${c.customerId}/export`, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const data = res.body;
      expect(data.customer).toMatchObject({ id: c.customerId, ...c.profile, locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
      expect(data.paymentMethods).toEqual([expect.objectContaining({ id: c.methodId, display: '招商银行 ****1234', type: 'bank_card' })]);
      expect(data.plans).toHaveLength(1);
      expect(data.plans[0].plan).toMatchObject({ planId: c.planId, status: 'paid_off' });
      expect(data.plans[0].plan.installments).toHaveLength(3);
      expect(data.plans[0].repayments).toEqual([expect.objectContaining({ kind: 'manual', status: 'succeeded', periods: [1, 2, 3] })]);
      expect(data.notices.length).toBeGreaterThan(0);
      expect(data.notices.every((n: { customerId: string }) => n.customerId === c.customerId)).toBe(true);
      expect(data.supportCases).toEqual([
        expect.objectContaining({ caseId: opened.body.caseId, planId: c.planId, messages: [expect.objectContaining({ body: 'Where is my receipt?' })] }),
      ]);
      expect(Date.parse(data.exportedAt)).toBe(t.stack.clock.now().getTime());
      // Nothing a token could charge with: the provider's reference is not part of it.
      expect(JSON.stringify(data)).not.toContain('tok_ok');
    }
    expect(await t.contractViolations()).toEqual([]);
  });

  it('hides a customer’s data from another customer', async () => {
    const c = await aCustomerWithPlan();
    const stranger = await t.stack.token(`cus_${randomUUID().slice(0, 8)}`);
    const res = await t.http('GET', `/v1/customers/${c.customerId}/export`, { token: stranger });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(c.profile.phone);
  });
});

describe('DELETE /v1/customers/{id}', () => {
  it('is refused while a plan owes money, naming the plan and the amount outstanding, and changes nothing', async () => {
    const c = await aCustomerWithPlan();
    const plan = await t.http('GET', `/v1/plans/${c.planId}`, { token: c.token });
    const before = await snapshotTable(t);
    for (const token of [c.token, t.adminToken]) {
      const res = await t.http('DELETE', `/v1/customers/${c.customerId}`, { token });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'CUSTOMER.MONEY_OWED', planId: c.planId, planStatus: 'active', outstanding: plan.body.outstanding });
      expect(res.body.detail).toContain(c.planId);
    }
    expect(await snapshotTable(t)).toEqual(before);
    expect((await t.http('GET', `/v1/customers/${c.customerId}`, { token: c.token })).status).toBe(200);
  });

  it('is refused while a payment awaits its provider, naming the attempt', async () => {
    const c = await aCustomerWithPlan({ type: 'alipay', token: 'tok_async', display: 'alipay 138****5678' });
    // The first debit is accepted by the wallet, which confirms later.
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.holdWalletResults = true;
    await t.stack.run(new Date('2026-02-28T01:01:00Z'));
    try {
      const res = await t.http('DELETE', `/v1/customers/${c.customerId}`, { token: t.adminToken });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'CUSTOMER.PAYMENT_IN_PROGRESS', planId: c.planId, attemptId: `${c.planId}:1:1` });
    } finally {
      t.stack.holdWalletResults = false;
      t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    }
  });

  it('erases the personal data of a customer who owes nothing, keeps the money records, and logs who did it', async () => {
    const c = await aCustomerWithPlan();
    await payOff(c);
    // A support case whose text holds personal data: it is erased with the rest.
    const message = `This is ${c.profile.name}, call me on ${c.profile.phone}`;
    const opened = await t.http('POST', '/v1/support/cases', { token: c.token, body: { category: 'other', planId: c.planId, message } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const release = vi.spyOn(t.stack.deps.gateway, 'release');

    const res = await t.http('DELETE', `/v1/customers/${c.customerId}`, { token: c.token });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      customerId: c.customerId,
      erasedBy: { sub: c.customerId, role: 'customer' },
      paymentMethodsReleased: 1,
      repaymentRecordsKept: 1,
      plansKept: 1,
      supportCasesErased: 1,
    });
    expect(res.body.noticesErased).toBeGreaterThan(0);
    // The provider's authorisation was released through the unbind path.
    expect(release).toHaveBeenCalledWith('simulated', expect.objectContaining({ token: 'tok_ok' }));
    release.mockRestore();

    // Nothing personal is left in the table: not the name, the phone (in any form) or the email; nor,
    // outside the idempotency records that expire within RETENTION_DAYS.idempotency, the method's display.
    const items = await rawItems(t);
    const stored = JSON.stringify(items);
    for (const pii of [c.profile.name, c.profile.phone, c.profile.phone.slice(3), c.profile.email]) expect(stored).not.toContain(pii);
    const ofThisCustomer = JSON.stringify(items.filter((i) => i.__edb_e__ !== 'idempotency' && (i.customerId === c.customerId || i.planId === c.planId)));
    expect(ofThisCustomer).toContain(c.customerId);
    expect(ofThisCustomer).not.toContain(c.display);

    // The money is still on record.
    const records = await t.http('GET', `/v1/plans/${c.planId}/repayments`, { token: t.adminToken });
    expect(records.body.items).toEqual([
      expect.objectContaining({ status: 'succeeded', amount: expect.objectContaining({ currency: 'CNY' }), paymentMethod: { id: c.methodId, display: 'erased' } }),
    ]);
    expect((await t.http('GET', `/v1/plans/${c.planId}`, { token: t.adminToken })).body.status).toBe('paid_off');

    // The customer's token finds nothing; the merchant sees the tombstone.
    for (const path of [
      `/v1/customers/${c.customerId}`,
      `/v1/customers/${c.customerId}/export`,
      `/v1/customers/${c.customerId}/payment-methods`,
      `/v1/customers/${c.customerId}/notices`,
    ]) {
      const gone = await t.http('GET', path, { token: c.token });
      expect(gone.status, path).toBe(404);
      expect(gone.body.code, path).toBe('CUSTOMER.ERASED');
    }
    expect((await t.http('DELETE', `/v1/customers/${c.customerId}`, { token: c.token })).status).toBe(404);
    const tombstone = await t.http('GET', `/v1/customers/${c.customerId}`, { token: t.adminToken });
    expect(tombstone.status).toBe(200);
    expect(tombstone.body).toMatchObject({ id: c.customerId, name: 'erased', phone: 'erased', notifications: { sms: false, email: false }, erasedAt: res.body.erasedAt });
    expect(tombstone.body.email).toBeUndefined();

    // No new plan, method or binding for an erased customer.
    const plan = await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(c.customerId, { periods: 3 }), headers: { 'idempotency-key': randomUUID() } });
    expect([plan.status, plan.body.code]).toEqual([404, 'CUSTOMER.ERASED']);
    const method = await t.http('POST', `/v1/customers/${c.customerId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    expect([method.status, method.body.code]).toEqual([404, 'CUSTOMER.ERASED']);

    // The erasure log holds who and when and what, nothing personal.
    const [log] = (await rawItems(t)).filter((i) => i.__edb_e__ === 'erasure' && i.customerId === c.customerId);
    expect(log).toMatchObject({ erasedAt: res.body.erasedAt, erasedBy: { sub: c.customerId, role: 'customer' } });

    // The merchant may run it again (to finish a run that failed half-way): the same log.
    const again = await t.http('DELETE', `/v1/customers/${c.customerId}`, { token: t.adminToken });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ erasedAt: res.body.erasedAt, erasedBy: { sub: c.customerId, role: 'customer' }, paymentMethodsReleased: 1 });
    expect(await t.contractViolations()).toEqual([]);
  });
});
