/**
 * Real money through Alipay's agreement deduction: the whole stack configured as a deployment
 * is (PAYMENT_GATEWAY=providers and the ALIPAY_* keys, here pointing at a local server that
 * speaks and checks Alipay's gateway protocol). A customer binds Alipay by signing on Alipay's
 * page; each due installment is debited with `alipay.trade.pay` under the attempt id; a lost
 * answer is resolved by `alipay.trade.query`, never by a second debit; a notification is a hint
 * answered `success` only once our own query recorded the result; the day's bill reconciles
 * with zero differences; removing the method ends the agreement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CHAOS } from '../../infra/local/chaos.ts';
import { outTradeNo } from '../../shared/adapters/gateway/alipay/alipay-gateway.ts';
import { reconcileDay } from '../../shared/application/reconcile-day.ts';
import { aCustomer, aPlan } from '../builders/requests.ts';
import { type AlipayFake, startAlipayFake } from '../fakes/alipay/alipay-fake.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Alipay end to end: agreements signed on Alipay’s page and debited through alipay.trade.pay', () => {
  let t: TestStack;
  let alipay: AlipayFake;
  let seq = 0;
  const saved: Record<string, string | undefined> = {};

  /** A customer who signed an agreement with this test account, bound through the API. */
  async function customerWithAgreement(account = '13800005678') {
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139300${String(seq).padStart(5, '0')}` }) })).body;
    const customerToken = await t.stack.token(cus.id);
    const started = await t.http('POST', `/v1/customers/${cus.id}/payment-methods/setup`, { token: customerToken, body: { type: 'alipay', returnUrl: '/methods' } });
    expect(started.status).toBe(201);
    const { agreementNo } = await alipay.confirmSigning(started.body.next.url, account);
    const done = await t.http('POST', `/v1/customers/${cus.id}/payment-methods/setup/${started.body.setupId}/complete`, { token: customerToken });
    expect(done.status).toBe(201);
    return { customerId: cus.id as string, customerToken, agreementNo, methodId: done.body.paymentMethod.id as string };
  }
  async function planFor(customerId: string, overrides: Record<string, unknown> = {}) {
    const res = await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(customerId, { periods: 3, orderId: `ORD-ALIPAY-${seq}`, ...overrides }),
      headers: { 'idempotency-key': `alipay-${seq}` },
    });
    expect(res.status).toBe(201);
    return res.body.planId as string;
  }
  const payRequests = (attemptId: string) => alipay.exchanges().filter((e) => e.method === 'alipay.trade.pay' && e.biz.out_trade_no === outTradeNo(attemptId));
  const captured = (planId: string) => alipay.ledger().filter((c) => c.outTradeNo.startsWith(outTradeNo(`${planId}:`)));

  beforeAll(async () => {
    let clock: { now(): Date } = { now: () => new Date() };
    alipay = await startAlipayFake({ clock: { now: () => clock.now() }, autoNotify: false });
    const env = {
      ALIPAY_APP_ID: alipay.appId,
      ALIPAY_PRIVATE_KEY: alipay.appPrivateKey,
      ALIPAY_PUBLIC_KEY: alipay.alipayPublicKey,
      ALIPAY_GATEWAY: alipay.gateway,
      // The test server's port is known only once it listens: deliveries are sent there (deliverNotifies(t.url)).
      ALIPAY_NOTIFY_URL: 'http://127.0.0.1:9/v1/webhooks/alipay',
      ALIPAY_RETURN_ORIGIN: 'http://localhost:3000',
    };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    t = await startTestStack({ gateway: 'providers' });
    clock = t.stack.clock;
  });
  afterAll(async () => {
    await t?.stop();
    await alipay?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('binds Alipay through the signing page: pending until signed, then active with the account Alipay reports, also from the signing notify', async () => {
    seq += 1;
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139300${String(seq).padStart(5, '0')}` }) })).body;
    const customerToken = await t.stack.token(cus.id);
    const started = await t.http('POST', `/v1/customers/${cus.id}/payment-methods/setup`, { token: customerToken, body: { type: 'alipay', returnUrl: '/methods' } });
    expect(started.body).toMatchObject({ provider: 'alipay', type: 'alipay', status: 'pending', next: { type: 'redirect' } });
    expect(started.body.next.url.startsWith(alipay.gateway)).toBe(true);
    expect((await t.http('POST', `/v1/customers/${cus.id}/payment-methods/setup/${started.body.setupId}/complete`, { token: customerToken })).status).toBe(202);

    await alipay.confirmSigning(started.body.next.url, '13800005678');
    // Alipay's signing notify arrives first: verified, then completed from alipay.user.agreement.query.
    expect(await alipay.deliverNotifies(t.url)).toBe(1);
    const notice = alipay.notifications().at(-1)!;
    expect(notice).toMatchObject({ status: 200, answer: 'success', acknowledged: true });
    const methods = (await t.http('GET', `/v1/customers/${cus.id}/payment-methods`, { token: customerToken })).body.items;
    expect(methods).toEqual([expect.objectContaining({ type: 'alipay', display: 'alipay 138****5678' })]);
    const completed = await t.http('POST', `/v1/customers/${cus.id}/payment-methods/setup/${started.body.setupId}/complete`, { token: customerToken });
    expect(completed.status).toBe(200);

    // A simulated token means nothing to Alipay.
    const typed = await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, {
      token: t.adminToken,
      body: { type: 'alipay', token: 'tok_ok', display: 'alipay 138****5678' },
    });
    expect(typed.status).toBe(422);
  });

  it('refuses a notification not signed with Alipay’s key', async () => {
    const form = alipay.signNotify({
      notify_id: 'forged-1',
      notify_type: 'trade_status_sync',
      app_id: alipay.appId,
      out_trade_no: 'plan_Ux_C1_C1',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '1.00',
    });
    const res = await t.http('POST', '/v1/webhooks/alipay', {
      rawBody: new URLSearchParams({ ...form, total_amount: '9999.00' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'WEBHOOK.SIGNATURE_INVALID' });
  });

  it('debits on the due date with alipay.trade.pay under the attempt id, resolving a lost answer by alipay.trade.query, never by a second capture', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId } = await customerWithAgreement();
    const planId = await planFor(customerId);
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    // Alipay captures, but both the answer and the SDK's resend of it are lost.
    alipay.fault({ kind: 'drop_response', method: 'alipay.trade.pay', times: 2 });

    await t.stack.run(new Date('2026-02-28T02:00:00Z'));

    const attempt = `${planId}:1:1`;
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => [r.id, r.status, r.provider, r.amount])).toEqual([[attempt, 'succeeded', 'alipay', captured(planId)[0]!.amount]]);
    expect(payRequests(attempt).map((e) => e.biz.total_amount)).toEqual([expect.stringMatching(/^\d+\.\d{2}$/), expect.stringMatching(/^\d+\.\d{2}$/)]);
    expect(captured(planId)).toHaveLength(1);
    expect(records[0]!.gatewayReference).toBe(captured(planId)[0]!.tradeNo);
    const asked = alipay.exchanges().filter((e) => e.method === 'alipay.trade.query' && e.biz.out_trade_no === outTradeNo(attempt));
    expect(asked.length).toBeGreaterThanOrEqual(1);

    // The trade notify is a hint: the attempt is recorded already, so it is acknowledged.
    await alipay.deliverNotifies(t.url);
    const notice = alipay.notifications().find((n) => n.form.out_trade_no === outTradeNo(attempt))!;
    expect(notice).toMatchObject({ answer: 'success', acknowledged: true });
    expect(captured(planId)).toHaveLength(1);
  });

  it('settles a debit Alipay confirms later from its notify after our own query, answering fail while the query says it is still waiting', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId } = await customerWithAgreement('13700000002');
    const planId = await planFor(customerId);
    await t.stack.run(new Date('2026-02-28T01:10:00Z'));
    const attempt = `${planId}:1:1`;
    expect((await t.stack.deps.plans.listRepayments(planId)).map((r) => r.status)).toEqual(['pending']);

    // A notification claiming success while Alipay's query still says WAIT_BUYER_PAY changes nothing.
    const early = alipay.signNotify({
      notify_id: `early-${seq}`,
      notify_type: 'trade_status_sync',
      notify_time: '2026-02-28 09:11:00',
      app_id: alipay.appId,
      charset: 'utf-8',
      version: '1.0',
      out_trade_no: outTradeNo(attempt),
      trade_status: 'TRADE_SUCCESS',
      total_amount: payRequests(attempt)[0]!.biz.total_amount as string,
    });
    const res = await fetch(`${t.url}/v1/webhooks/alipay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(early).toString(),
    });
    expect([res.status, await res.text()]).toEqual([200, 'fail']);
    expect((await t.stack.deps.plans.listRepayments(planId)).map((r) => r.status)).toEqual(['pending']);

    // The buyer's payment goes through; Alipay's notify is answered success once recorded.
    await alipay.settleWaiting();
    await alipay.deliverNotifies(t.url);
    const notice = alipay.notifications().find((n) => n.form.out_trade_no === outTradeNo(attempt))!;
    expect(notice).toMatchObject({ answer: 'success', acknowledged: true });
    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => [r.id, r.status])).toEqual([[attempt, 'succeeded']]);
    expect(captured(planId)).toHaveLength(1);
  });

  it('retries an Alipay balance that is not enough on the dunning schedule, each attempt its own out_trade_no', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId } = await customerWithAgreement('13900000001');
    const planId = await planFor(customerId);

    await t.stack.run(new Date('2026-03-06T02:00:00Z'));

    const records = (await t.stack.deps.plans.listRepayments(planId)).filter((r) => r.periods.includes(1));
    expect(records.map((r) => [r.id, r.status, r.failureCode, r.createdAt])).toEqual([
      [`${planId}:1:1`, 'failed', 'insufficient_funds', '2026-02-28T01:00:00.000Z'],
      [`${planId}:1:2`, 'failed', 'insufficient_funds', '2026-03-01T01:00:00.000Z'],
      [`${planId}:1:3`, 'failed', 'insufficient_funds', '2026-03-03T01:00:00.000Z'],
      [`${planId}:1:4`, 'failed', 'insufficient_funds', '2026-03-05T01:00:00.000Z'],
    ]);
    for (const r of records) expect(payRequests(r.id)).toHaveLength(1);
    expect(captured(planId)).toHaveLength(0);
  });

  it('records an automatic debit whose worker died after the charge once, even after its method was removed', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId, methodId } = await customerWithAgreement();
    const planId = await planFor(customerId);
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));
    t.stack.chaos.configure({ crashAfterChargeRate: 1 });
    await t.stack.run(new Date('2026-02-28T01:01:00Z'));
    t.stack.chaos.configure(NO_CHAOS);
    expect(captured(planId)).toHaveLength(1);

    // Removal is refused while the debit is unresolved; removed anyway (the race), the agenda asks Alipay.
    expect((await t.http('DELETE', `/v1/customers/${customerId}/payment-methods/${methodId}`, { token: t.adminToken })).status).toBe(409);
    await t.stack.deps.customers.removePaymentMethod(customerId, methodId);
    await t.stack.run(new Date('2026-02-28T02:00:00Z'));

    const records = await t.stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => [r.id, r.status])).toEqual([[`${planId}:1:1`, 'succeeded']]);
    expect(captured(planId)).toHaveLength(1);
  });

  it("records a customer's payment whose answer was lost once, by query, when the same request is sent again", async () => {
    t.stack.clock.set(new Date('2026-02-10T04:00:00Z'));
    const { customerId, customerToken } = await customerWithAgreement();
    const planId = await planFor(customerId, { purchaseDate: '2026-02-01' });
    alipay.fault({ kind: 'drop_response', method: 'alipay.trade.pay', times: 2 });
    const first = await t.http('POST', `/v1/plans/${planId}/repayments`, { token: customerToken, body: { scope: 'next' }, headers: { 'idempotency-key': 'alipay-pay-1' } });
    expect(first.status).toBeLessThan(300);
    const again = await t.http('POST', `/v1/plans/${planId}/repayments`, { token: customerToken, body: { scope: 'next' }, headers: { 'idempotency-key': 'alipay-pay-1' } });
    expect(again.body.repayment).toMatchObject({ status: 'succeeded' });
    expect(captured(planId)).toHaveLength(1);
    expect((await t.stack.deps.plans.listRepayments(planId)).filter((r) => r.status === 'succeeded')).toHaveLength(1);
  });

  it('reconciles the day from Alipay’s bill with zero differences', async () => {
    // The bill of 28 February (Beijing) is published once that day is over there.
    t.stack.clock.set(new Date('2026-03-01T02:00:00Z'));
    const report = await reconcileDay(t.stack.deps, { date: '2026-02-28' });
    if (!report.ok) throw new Error(report.error.message);
    const day = alipay.ledger().filter((c) => c.at >= '2026-02-27T16:00:00.000Z' && c.at < '2026-02-28T16:00:00.000Z');
    expect(day.length).toBeGreaterThan(0);
    expect(report.value).toMatchObject({ date: '2026-02-28', captures: day.length, differenceCount: 0, differences: [] });
    const listed = await t.stack.deps.gateway.captures('alipay', new Date('2026-02-27T16:00:00Z'), new Date('2026-02-28T16:00:00Z'));
    expect(listed.map((c) => c.gatewayReference).sort()).toEqual(day.map((c) => c.tradeNo).sort());
    // Every reconciliation the schedule ran on the simulated clock so far found nothing either.
    expect(t.stack.reconciliations.filter((r) => r.differences > 0)).toEqual([]);
  });

  it('ends the agreement at Alipay when the customer removes the method', async () => {
    const { customerId, customerToken, agreementNo, methodId } = await customerWithAgreement();
    const removed = await t.http('DELETE', `/v1/customers/${customerId}/payment-methods/${methodId}`, { token: customerToken });
    expect(removed.status).toBeLessThan(300);
    expect(alipay.agreements().find((a) => a.agreementNo === agreementNo)?.status).toBe('UNSIGN');
  });

  it('keeps every installment paid once under chaos: duplicate deliveries, timeouts and crashes after the charge', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const plans: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { customerId } = await customerWithAgreement();
      plans.push(await planFor(customerId, { periods: 2 }));
    }
    t.stack.chaos.configure({ duplicateDelivery: true, gatewayTimeoutRate: 0.3, crashAfterChargeRate: 0.3, seed: 7 });
    await t.stack.run(new Date('2026-04-01T00:00:00Z'));
    t.stack.chaos.configure(NO_CHAOS);
    await t.stack.run(new Date('2026-04-02T00:00:00Z'));

    for (const planId of plans) {
      const succeeded = (await t.stack.deps.plans.listRepayments(planId)).filter((r) => r.status === 'succeeded');
      const mine = captured(planId);
      expect(succeeded.map((r) => outTradeNo(r.id)).sort()).toEqual(mine.map((c) => c.outTradeNo).sort());
      expect(succeeded.reduce((s, r) => s + r.amount, 0)).toBe(mine.reduce((s, c) => s + c.amount, 0));
      const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
      expect(plan.status).toBe('paid_off');
    }
  }, 180_000);
});
