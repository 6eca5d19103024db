/**
 * WeChat Pay papay end to end: the whole stack with PAYMENT_GATEWAY=providers and WeChat Pay's
 * keys pointing at the local fake of its APIv3 (test/fakes/wechat-pay). A contract signed on
 * WeChat's page activates the method through the signed, encrypted signing notification; the
 * first reminder tells WeChat of the debit (预扣费通知); the debit on the due date at 09:00
 * Shanghai survives a lost answer through the order query; the payment notification is a hint
 * answered after the record exists; the trade bill reconciles to zero differences; a decline
 * is retried inside the notice's window; removing the method terminates the contract.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NO_CHAOS } from '../../infra/local/chaos.ts';
import { listen } from '../../infra/local/server.ts';
import { LocalStack } from '../../infra/local/stack.ts';
import { outTradeNo } from '../../shared/adapters/gateway/wechat-pay/wechat-pay-gateway.ts';
import { reconcileDay, reconcileDue } from '../../shared/application/reconcile-day.ts';
import { ENV } from '../../shared/config/env.ts';
import { aCustomer, aPlan } from '../builders/requests.ts';
import { startWechatPayFake, type WechatPayFake } from '../fakes/wechat-pay/wechat-pay-fake.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const until = async (what: () => boolean, label: string) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!what()) throw new Error(`timed out waiting for ${label}`);
};

describe('WeChat Pay papay end to end: signed, pre-notified, deducted, reconciled, terminated', () => {
  let stack: LocalStack;
  let server: Awaited<ReturnType<typeof listen>>;
  let wechat: WechatPayFake;
  let adminToken: string;
  let seq = 0;
  const saved: Record<string, string | undefined> = {};

  async function http(method: string, path: string, opts: { token?: string; body?: unknown; key?: string } = {}) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(opts.key ? { 'idempotency-key': opts.key } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** A customer who signed a papay contract on WeChat's page; the method comes from the signing notification. */
  async function signedCustomer() {
    seq += 1;
    const cus = (await http('POST', '/v1/customers', { token: adminToken, body: aCustomer({ phone: `+86139300${String(seq).padStart(5, '0')}` }) })).body;
    const customerToken = await stack.token(cus.id);
    const started = await http('POST', `/v1/customers/${cus.id}/payment-methods/setup`, { token: customerToken, body: { type: 'wechat_pay' } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ provider: 'wechat_pay', next: { type: 'redirect' } });
    const setupId = started.body.setupId as string;
    expect((await http('POST', `/v1/customers/${cus.id}/payment-methods/setup/${setupId}/complete`, { token: customerToken })).status).toBe(202);
    // The customer agrees on WeChat's signing page.
    const page = await fetch(started.body.next.url, { method: 'POST' });
    expect(page.status).toBe(200);
    const contract = wechat.contracts().find((c) => c.outContractCode === setupId)!;
    return { customerId: cus.id as string, customerToken, setupId, contract };
  }

  async function planFor(customerId: string) {
    const res = await http('POST', '/v1/plans', {
      token: adminToken,
      body: aPlan(customerId, { periods: 3, orderId: `ORD-WX-${seq}`, purchaseDate: '2026-01-31' }),
      key: `wx-${seq}`,
    });
    expect(res.status).toBe(201);
    return res.body as { planId: string; installments: Array<{ amountDue: { amount: number } }> };
  }

  beforeAll(async () => {
    let clock: { now(): Date } = { now: () => new Date() };
    wechat = await startWechatPayFake({ clock: { now: () => clock.now() } });
    const port = await freePort();
    const k = wechat.keys;
    const env: Record<string, string> = {
      [ENV.gateway]: 'providers',
      [ENV.wechatPayMchId]: k.mchId,
      [ENV.wechatPayAppId]: k.appId,
      [ENV.wechatPaySerial]: k.serial,
      [ENV.wechatPayPrivateKey]: k.privateKey,
      [ENV.wechatPayApiV3Key]: k.apiV3Key,
      [ENV.wechatPayPlatformPublicKey]: k.platformPublicKey,
      [ENV.wechatPayPlatformSerial]: k.platformSerial,
      [ENV.wechatPayPlanId]: String(k.planId),
      [ENV.wechatPayNotifyUrl]: `http://127.0.0.1:${port}/v1/webhooks/wechat-pay`,
      [ENV.wechatPayBase]: k.base,
    };
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    stack = await LocalStack.start({ dynamodbEndpoint: inject('dynamodbEndpoint'), background: false, logLevel: 'silent', gateway: 'providers' });
    clock = stack.clock;
    server = await listen(stack, port);
    adminToken = await stack.token('ops', ['admin']);
  });
  afterAll(async () => {
    await server?.close();
    await stack?.stop();
    await wechat?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('binds through the signing page: the signed notification activates the method with the contract WeChat reports', async () => {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId, customerToken, setupId, contract } = await signedCustomer();
    await until(() => wechat.deliveries().some((d) => d.eventType === 'PAPAY.SIGN' && d.status === 200), 'the signing notification');
    const methods = (await http('GET', `/v1/customers/${customerId}/payment-methods`, { token: customerToken })).body.items;
    expect(methods).toEqual([expect.objectContaining({ type: 'wechat_pay', display: `微信支付 ****${contract.contractId.slice(-4)}` })]);
    // The portal's own completion finds it done.
    const completed = await http('POST', `/v1/customers/${customerId}/payment-methods/setup/${setupId}/complete`, { token: customerToken });
    expect(completed.status).toBe(200);
  });

  it('tells WeChat of the debit at the first reminder, deducts on the due date despite a lost answer, and reconciles the trade bill', async () => {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId } = await signedCustomer();
    const { planId } = await planFor(customerId);
    const amount = (await http('GET', `/v1/plans/${planId}`, { token: adminToken })).body.installments[0].amountDue.amount as number;

    await stack.run(new Date('2026-02-25T03:00:00Z')); // the first reminder: 25 Feb 10:00 Shanghai
    const contractId = wechat.contracts().at(-1)!.contractId;
    expect(wechat.notices().filter((n) => n.contractId === contractId)).toEqual([
      expect.objectContaining({ amount, noticeDay: '2026-02-25', from: '2026-02-27', until: '2026-03-05' }),
    ]);

    // WeChat deducts, but its answer never arrives: the order query by out_trade_no tells.
    wechat.inject({ kind: 'drop_response', path: '/v3/papay/pay/transactions/apply' });
    await stack.run(new Date('2026-02-28T02:00:00Z'));

    const attempt = `${planId}:1:1`;
    const records = await stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => [r.id, r.status, r.provider, r.amount, r.createdAt])).toEqual([[attempt, 'succeeded', 'wechat_pay', amount, '2026-02-28T01:00:00.000Z']]);
    expect(wechat.ledger().filter((c) => c.outTradeNo === outTradeNo(attempt))).toHaveLength(1);
    // The second reminder found WeChat's window covering the due date: one notice only.
    expect(wechat.notices().filter((n) => n.contractId === contractId)).toHaveLength(1);

    // The payment notification is a hint, verified and decrypted, answered once the record exists.
    await until(() => wechat.deliveries().some((d) => d.eventType === 'TRANSACTION.SUCCESS' && d.status === 200), 'the payment notification');
    expect(await wechat.notifyPayment(outTradeNo(attempt))).toBe(200);
    expect(await wechat.notifyPayment(outTradeNo(attempt), { tamper: (b) => b.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.FAIL"') })).toBe(401);
    expect((await stack.deps.plans.listRepayments(planId)).map((r) => r.status)).toEqual(['succeeded']);

    // At 09:00 on 1 March WeChat has not made the bill of 28 Feb: the day waits for it, neither matched nor different.
    stack.clock.set(new Date('2026-03-01T01:00:00Z'));
    const early = await reconcileDay(stack.deps, { date: '2026-02-28' });
    expect(early).toMatchObject({ ok: true, value: { providers: [], differenceCount: 0, pending: [{ provider: 'wechat_pay', readyAt: '2026-03-01T02:00:00.000Z' }] } });

    // The 10:30 reconciliation of 28 Feb reads WeChat's trade bill of that day, and makes the report final.
    await stack.run(new Date('2026-03-01T02:30:00Z'));
    const run = stack.reconciliations.filter((r) => r.date === '2026-02-28').at(-1);
    expect(run).toMatchObject({ differences: 0, pending: [] });
    expect((await stack.deps.reconciliation.getReport('2026-02-28'))?.pending).toBeUndefined();
    expect(run!.captures).toBeGreaterThanOrEqual(1);
    const captures = await stack.deps.gateway.captures('wechat_pay', new Date('2026-02-27T16:00:00Z'), new Date('2026-02-28T16:00:00Z'));
    expect(captures.find((c) => c.idempotencyKey === attempt)).toMatchObject({ amount, currency: 'CNY', gatewayReference: records[0]!.gatewayReference });
  }, 120_000);

  it('leaves a day pending while WeChat still makes its bill (STATEMENT_CREATING) and reconciles it at the next run', async () => {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId } = await signedCustomer();
    const { planId } = await planFor(customerId);
    await stack.run(new Date('2026-02-28T02:00:00Z'));
    expect((await stack.deps.plans.listRepayments(planId)).map((r) => r.status)).toEqual(['succeeded']);

    // 10:30 on 1 March, the scheduled run: the bill is late today.
    stack.clock.set(new Date('2026-03-01T02:30:00Z'));
    wechat.inject({ kind: 'error', code: 'STATEMENT_CREATING', method: 'GET', path: '/v3/bill/tradebill' });
    const late = await reconcileDue(stack.deps);
    expect(late).toMatchObject({ ok: true, value: { date: '2026-02-28', providers: [], differenceCount: 0, pending: [{ provider: 'wechat_pay' }] } });
    expect((await stack.deps.reconciliation.getReport('2026-02-28'))?.pending).toHaveLength(1);

    // The next day's run reconciles 1 March and takes up 28 Feb again: the bill is there now.
    stack.clock.set(new Date('2026-03-02T02:30:00Z'));
    expect(await reconcileDue(stack.deps)).toMatchObject({ ok: true, value: { date: '2026-03-01', differenceCount: 0 } });
    const final = await http('GET', '/v1/ops/reconciliation?date=2026-02-28', { token: adminToken });
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({ date: '2026-02-28', differenceCount: 0, providers: ['wechat_pay'] });
    expect(final.body.pending).toBeUndefined();
    expect(final.body.records).toBeGreaterThanOrEqual(1);
    expect(final.body.ranAt).toBe('2026-03-02T02:30:00.000Z');
  }, 120_000);

  it('repays now with a Native order the customer scans: no papay deduction, settled from the order query after its notification', async () => {
    // Prepare: 10 Feb, 12:00 Shanghai; nothing was announced to WeChat for this contract.
    stack.clock.set(new Date('2026-02-10T04:00:00Z'));
    const { customerId, customerToken, contract } = await signedCustomer();
    const { planId } = await planFor(customerId);
    const applies = () => wechat.exchanges().filter((e) => e.path === '/v3/papay/pay/transactions/apply').length;
    const appliesBefore = applies();

    // Act: the customer pays the next installment now.
    const paying = await http('POST', `/v1/plans/${planId}/repayments`, { token: customerToken, body: { scope: 'next' }, key: `wx-now-${seq}` });

    // Assess: WeChat's QR payload to scan, the payment pending; no deduction and no notice were tried.
    expect(paying.status).toBe(202);
    expect(paying.body).toMatchObject({ status: 'requires_action', next: { type: 'qr_code', payload: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) } });
    const manual = (await stack.deps.plans.listRepayments(planId)).find((r) => r.kind === 'manual')!;
    expect(manual).toMatchObject({ status: 'pending', provider: 'wechat_pay' });
    expect(applies()).toBe(appliesBefore);
    expect(wechat.notices().filter((n) => n.contractId === contract.contractId)).toEqual([]);
    const order = wechat.orders().find((o) => o.outTradeNo === outTradeNo(manual.id))!;
    expect(order).toMatchObject({ tradeType: 'NATIVE', state: 'NOTPAY', amount: manual.amount, attach: manual.id });

    // A forged success changes nothing: the notification is a hint and must be WeChat's.
    expect(await wechat.notifyPayment(order.outTradeNo, { tamper: (b) => b.replace('"TRANSACTION.FAIL"', '"TRANSACTION.SUCCESS"') })).toBe(401);
    expect((await stack.deps.plans.listRepayments(planId)).find((r) => r.id === manual.id)?.status).toBe('pending');

    // The customer scans and pays with their password; WeChat notifies; the order query settles it.
    await wechat.payNative(order.outTradeNo);
    await until(
      () => wechat.deliveries().some((d) => d.eventType === 'TRANSACTION.SUCCESS' && d.status === 200 && d.url.endsWith('/v1/webhooks/wechat-pay')),
      'the payment notification',
    );
    const settled = (await stack.deps.plans.listRepayments(planId)).find((r) => r.id === manual.id);
    expect(settled).toMatchObject({ status: 'succeeded', amount: manual.amount, gatewayReference: order.transactionId });
    expect(wechat.ledger().filter((c) => c.outTradeNo === order.outTradeNo)).toHaveLength(1);
    const plan = (await http('GET', `/v1/plans/${planId}`, { token: adminToken })).body;
    expect(plan.installments[0].status).toBe('paid');

    // The day's trade bill lists the Native payment too: zero differences.
    stack.clock.set(new Date('2026-02-11T02:30:00Z'));
    const report = await reconcileDay(stack.deps, { date: '2026-02-10' });
    expect(report).toMatchObject({ ok: true, value: { providers: ['wechat_pay'], differenceCount: 0 } });
    expect(report.ok && report.value.captures).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('retries a NOT_ENOUGH decline inside the window the notice opened, and terminates the contract when the method is removed', async () => {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId, customerToken, contract } = await signedCustomer();
    const { planId } = await planFor(customerId);
    wechat.setBalance(contract.contractId, 1);

    await stack.run(new Date('2026-03-01T02:00:00Z'));
    wechat.setBalance(contract.contractId, 10_000_000);
    await stack.run(new Date('2026-03-03T02:00:00Z'));

    const records = (await stack.deps.plans.listRepayments(planId)).filter((r) => r.periods.includes(1));
    expect(records.map((r) => [r.id, r.status, r.failureCode ?? null, r.createdAt])).toEqual([
      [`${planId}:1:1`, 'failed', 'insufficient_funds', '2026-02-28T01:00:00.000Z'],
      [`${planId}:1:2`, 'failed', 'insufficient_funds', '2026-03-01T01:00:00.000Z'],
      [`${planId}:1:3`, 'succeeded', null, '2026-03-03T01:00:00.000Z'],
    ]);
    expect(wechat.notices().filter((n) => n.contractId === contract.contractId)).toHaveLength(1);

    const method = (await http('GET', `/v1/customers/${customerId}/payment-methods`, { token: customerToken })).body.items[0];
    const removed = await http('DELETE', `/v1/customers/${customerId}/payment-methods/${method.id}`, { token: customerToken });
    expect(removed.status).toBe(204);
    expect(wechat.contracts().find((c) => c.contractId === contract.contractId)?.state).toBe('TERMINATED');
  }, 120_000);

  it('announces again and waits for WeChat’s window when a debit is not covered (a notice that came too late)', async () => {
    stack.clock.set(new Date('2026-02-27T03:00:00Z')); // 27 Feb 11:00 Shanghai: the 3-day reminder is past
    const { customerId, contract } = await signedCustomer();
    const res = await http('POST', '/v1/plans', {
      token: adminToken,
      body: aPlan(customerId, { periods: 3, orderId: `ORD-WX-LATE-${seq}`, purchaseDate: '2026-01-28' }),
      key: `wx-late-${seq}`,
    });
    expect(res.status).toBe(201);
    const planId = res.body.planId as string;
    await stack.run(new Date('2026-03-03T02:00:00Z'));
    const notices = wechat.notices().filter((n) => n.contractId === contract.contractId);
    // The 1-day reminder (27 Feb) told WeChat; its window opens on 1 March, where the debit waited.
    expect(notices.map((n) => [n.noticeDay, n.from])).toEqual([['2026-02-27', '2026-03-01']]);
    const records = (await stack.deps.plans.listRepayments(planId)).filter((r) => r.periods.includes(1));
    expect(records.map((r) => [r.status, r.createdAt])).toEqual([['succeeded', '2026-03-01T01:00:00.000Z']]);
  }, 120_000);

  it('records a debit whose worker died after WeChat deducted once, asking WeChat, and refuses to remove its method meanwhile', async () => {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const { customerId, customerToken, contract } = await signedCustomer();
    const { planId } = await planFor(customerId);
    await stack.run(new Date('2026-02-28T00:30:00Z'));
    stack.chaos.configure({ ...NO_CHAOS, crashAfterChargeRate: 1, seed: 3 });
    await stack.run(new Date('2026-02-28T01:00:30Z'));
    stack.chaos.configure(NO_CHAOS);
    const tradeNo = outTradeNo(`${planId}:1:1`);
    expect(wechat.ledger().filter((c) => c.outTradeNo === tradeNo)).toHaveLength(1);
    const method = (await http('GET', `/v1/customers/${customerId}/payment-methods`, { token: customerToken })).body.items[0];
    expect((await http('DELETE', `/v1/customers/${customerId}/payment-methods/${method.id}`, { token: customerToken })).status).toBe(409);
    expect(wechat.contracts().find((c) => c.contractId === contract.contractId)?.state).toBe('SIGNED');

    await stack.run(new Date('2026-02-28T02:00:00Z'));
    const records = await stack.deps.plans.listRepayments(planId);
    expect(records.map((r) => [r.id, r.status])).toEqual([[`${planId}:1:1`, 'succeeded']]);
    expect(wechat.ledger().filter((c) => c.outTradeNo === tradeNo)).toHaveLength(1);
  }, 120_000);

  it('keeps every installment paid once under chaos: duplicate deliveries, timeouts and crashes after the deduction', async () => {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const plans: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { customerId } = await signedCustomer();
      plans.push((await planFor(customerId)).planId);
    }
    stack.chaos.configure({ duplicateDelivery: true, gatewayTimeoutRate: 0.3, crashAfterChargeRate: 0.3, seed: 17 });
    await stack.run(new Date('2026-05-01T00:00:00Z'));
    stack.chaos.configure(NO_CHAOS);
    await stack.run(new Date('2026-05-03T00:00:00Z'));

    for (const planId of plans) {
      const succeeded = (await stack.deps.plans.listRepayments(planId)).filter((r) => r.status === 'succeeded');
      const captured = wechat.ledger().filter((c) => c.outTradeNo.startsWith(outTradeNo(`${planId}:1:1`).split('*')[0]!));
      expect(succeeded.map((r) => outTradeNo(r.id)).sort()).toEqual(captured.map((c) => c.outTradeNo).sort());
      expect(succeeded.reduce((s, r) => s + r.amount, 0)).toBe(captured.reduce((s, c) => s + c.amount, 0));
      const plan = (await http('GET', `/v1/plans/${planId}`, { token: adminToken })).body;
      expect(plan.status).toBe('paid_off');
    }
    expect(stack.reconciliations.filter((r) => r.differences > 0)).toEqual([]);
  }, 300_000);
});
