/**
 * The WeChat Pay adapter against the local fake of WeChat Pay's APIv3 (test/fakes/wechat-pay):
 * every request is signed by the SDK and checked by the fake; every answer is signed by the fake
 * and checked by the SDK.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attemptIdOf, fenOf, outTradeNo, WechatPayGateway } from '../../shared/adapters/gateway/wechat-pay/wechat-pay-gateway.ts';
import { startWechatPayFake, type WechatPayFake } from '../fakes/wechat-pay/wechat-pay-fake.ts';

/** Business time, moved by the tests (the fake's windows and bills use it). */
let now = new Date('2026-02-07T02:00:00Z'); // 10:00 Beijing
const clock = { now: () => now };

let fake: WechatPayFake;
let gateway: WechatPayGateway;

const NOTIFY_URL = 'http://127.0.0.1:9/v1/webhooks/wechat-pay';

function gatewayFor(f: WechatPayFake, overrides: Partial<ConstructorParameters<typeof WechatPayGateway>[0]> = {}) {
  const k = f.keys;
  return new WechatPayGateway({
    mchId: k.mchId,
    appId: k.appId,
    serial: k.serial,
    privateKey: k.privateKey,
    platformPublicKey: k.platformPublicKey,
    platformSerial: k.platformSerial,
    planId: String(k.planId),
    notifyUrl: NOTIFY_URL,
    base: k.base,
    clock,
    settleMs: 60_000,
    ...overrides,
  });
}

/** Binds a contract through the signing flow and answers its contract id. */
async function signedContract(customerId: string, setupKey: string): Promise<string> {
  const started = await gateway.startSetup({ customerId, methodType: 'wechat_pay', setupKey });
  expect(started.next.type).toBe('redirect');
  const token = (started.next as { url: string }).url.split('/').pop()!;
  await fake.sign(token);
  const done = await gateway.setupStatus(started.setupId);
  if (done.status !== 'succeeded') throw new Error(`setup ${done.status}`);
  return done.token;
}

const charge = (contractId: string, key: string, amount = 5000) =>
  gateway.charge({ idempotencyKey: key, provider: 'wechat_pay', token: contractId, methodType: 'wechat_pay', amount, currency: 'CNY', planId: 'plan_wx', mode: 'auto' });

beforeAll(async () => {
  fake = await startWechatPayFake({ clock });
  gateway = gatewayFor(fake);
});
afterAll(() => fake.close());
beforeEach(() => {
  now = new Date('2026-02-07T02:00:00Z');
});

describe('Class: WechatPayGateway', () => {
  describe('Method: outTradeNo', () => {
    it('writes an attempt id in at most 32 characters of WeChat’s alphabet and reads it back', () => {
      for (const id of ['plan_0123456789abcdef:3:1', 'plan_0123456789abcdef:12:10', 'plan_0123456789abcdef:manual:0123456789abcdef', 'x:1:1']) {
        const no = outTradeNo(id);
        expect(no.length).toBeLessThanOrEqual(32);
        expect(no).toMatch(/^[0-9A-Za-z_\-*]{6,32}$/);
        if (attemptIdOf(no) !== undefined) expect(attemptIdOf(no)).toBe(id);
      }
      expect(attemptIdOf(outTradeNo('plan_0123456789abcdef:3:1'))).toBe('plan_0123456789abcdef:3:1');
      expect(outTradeNo('plan_0123456789abcdef:manual:0123456789abcdef')).toMatch(/^H/);
      expect(outTradeNo('plan_a:1:1')).not.toBe(outTradeNo('plan_a:1:2'));
    });
    it('reads yuan as exact fen', () => {
      expect(fenOf('12.34')).toBe(1234);
      expect(fenOf('0.10')).toBe(10);
      expect(fenOf('5')).toBe(500);
      expect(fenOf('1234567.8')).toBe(123456780);
    });
  });

  describe('Method: startSetup / setupStatus', () => {
    it('is pending until the customer signs, then active with the contract WeChat reports', async () => {
      const started = await gateway.startSetup({ customerId: 'cus_1', methodType: 'wechat_pay', setupKey: 'k1' });
      expect(await gateway.setupStatus(started.setupId)).toEqual({ status: 'pending' });
      await fake.sign((started.next as { url: string }).url.split('/').pop()!);
      const done = await gateway.setupStatus(started.setupId);
      expect(done).toMatchObject({ status: 'succeeded', display: expect.stringMatching(/^微信支付 \*\*\*\*\d{4}$/) });
      const contract = fake.contracts().find((c) => c.outContractCode === started.setupId)!;
      expect(done).toMatchObject({ token: contract.contractId });
    });
    it('refuses a contract id of another customer as an unknown token', async () => {
      const contractId = await signedContract('cus_owner', 'k2');
      expect(await gateway.verifyToken({ token: contractId, methodType: 'wechat_pay', customerId: 'cus_owner' })).toMatchObject({ ok: true, token: contractId });
      expect(await gateway.verifyToken({ token: contractId, methodType: 'wechat_pay', customerId: 'cus_thief' })).toMatchObject({ ok: false, code: 'unknown_token' });
      expect(await gateway.verifyToken({ token: '999', methodType: 'wechat_pay', customerId: 'cus_owner' })).toMatchObject({ ok: false, code: 'unknown_token' });
    });
  });

  describe('Method: charge', () => {
    it('is refused by WeChat without a pre-debit notice, and captures inside the window the notice opened', async () => {
      const contractId = await signedContract('cus_2', 'k3');
      expect(await charge(contractId, 'plan_wx:1:1')).toEqual({ outcome: 'declined', code: 'processing_error' });
      const window = await gateway.preDebitNotice({ token: contractId, amount: 5000, currency: 'CNY' });
      expect(window).toEqual({ from: '2026-02-09', until: '2026-02-15', timeZone: 'Asia/Shanghai' });
      expect(fake.notices().at(-1)).toMatchObject({ contractId, amount: 5000, from: '2026-02-09', until: '2026-02-15' });
      // Tomorrow is still WeChat's waiting period.
      now = new Date('2026-02-08T01:00:00Z');
      expect(await charge(contractId, 'plan_wx:1:2')).toEqual({ outcome: 'declined', code: 'processing_error' });
      now = new Date('2026-02-09T01:00:00Z'); // 09:00 Beijing
      const captured = await charge(contractId, 'plan_wx:1:3');
      expect(captured).toMatchObject({ outcome: 'captured' });
      expect(fake.ledger().filter((c) => c.outTradeNo === outTradeNo('plan_wx:1:3'))).toHaveLength(1);
      // The same out_trade_no never charges twice.
      expect(await gateway.status({ idempotencyKey: 'plan_wx:1:3', provider: 'wechat_pay', attemptedAt: now })).toEqual({
        status: 'captured',
        gatewayReference: (captured as { gatewayReference: string }).gatewayReference,
      });
      expect(fake.ledger().filter((c) => c.outTradeNo === outTradeNo('plan_wx:1:3'))).toHaveLength(1);
    });

    it('maps NOT_ENOUGH to a retryable insufficient_funds, and a terminated contract to method_revoked', async () => {
      const contractId = await signedContract('cus_3', 'k4');
      await gateway.preDebitNotice({ token: contractId, amount: 5000, currency: 'CNY' });
      now = new Date('2026-02-09T01:00:00Z');
      fake.setBalance(contractId, 100);
      expect(await charge(contractId, 'plan_wx:2:1')).toEqual({ outcome: 'declined', code: 'insufficient_funds' });
      expect(await gateway.status({ idempotencyKey: 'plan_wx:2:1', provider: 'wechat_pay', attemptedAt: now })).toEqual({ status: 'declined', code: 'insufficient_funds' });
      await fake.terminateByUser(contractId);
      expect(await charge(contractId, 'plan_wx:2:2')).toEqual({ outcome: 'declined', code: 'method_revoked' });
    });

    it('answers unknown on SYSTEM_ERROR and a lost answer, and the order query resolves it', async () => {
      const contractId = await signedContract('cus_4', 'k5');
      await gateway.preDebitNotice({ token: contractId, amount: 5000, currency: 'CNY' });
      now = new Date('2026-02-09T01:00:00Z');
      fake.inject({ kind: 'error', code: 'SYSTEM_ERROR', path: '/v3/papay/pay/transactions/apply' });
      expect(await charge(contractId, 'plan_wx:3:1')).toMatchObject({ outcome: 'unknown' });
      // Nothing was taken, but it is not_found only once the settle time has passed.
      expect(await gateway.status({ idempotencyKey: 'plan_wx:3:1', provider: 'wechat_pay', attemptedAt: now })).toMatchObject({ status: 'unknown' });
      expect(await gateway.status({ idempotencyKey: 'plan_wx:3:1', provider: 'wechat_pay', attemptedAt: new Date(now.getTime() - 120_000) })).toEqual({ status: 'not_found' });

      fake.inject({ kind: 'drop_response', path: '/v3/papay/pay/transactions/apply' });
      expect(await charge(contractId, 'plan_wx:3:2')).toMatchObject({ outcome: 'unknown' });
      expect(await gateway.status({ idempotencyKey: 'plan_wx:3:2', provider: 'wechat_pay', attemptedAt: now })).toMatchObject({ status: 'captured' });
      expect(fake.ledger().filter((c) => c.outTradeNo === outTradeNo('plan_wx:3:2'))).toHaveLength(1);
    });

    it('treats FREQUENCY_LIMITED as a retryable decline', async () => {
      const contractId = await signedContract('cus_5', 'k6');
      fake.inject({ kind: 'error', code: 'FREQUENCY_LIMITED', path: '/v3/papay/pay/transactions/apply' });
      expect(await charge(contractId, 'plan_wx:4:1')).toEqual({ outcome: 'declined', code: 'issuer_unavailable' });
    });
  });

  describe('Method: charge (customer present)', () => {
    const payNow = (key: string, amount = 5000) =>
      gateway.charge({
        idempotencyKey: key,
        provider: 'wechat_pay',
        token: 'unused',
        methodType: 'wechat_pay',
        amount,
        currency: 'CNY',
        planId: 'plan_wx',
        mode: 'customer_present',
      });
    const query = (key: string) => ({ idempotencyKey: key, provider: 'wechat_pay' as const, attemptedAt: now });

    it('answers a Native order’s code_url to scan, at any hour and without a notice, and captures once the customer pays', async () => {
      now = new Date('2026-02-07T15:30:00Z'); // 23:30 Beijing: outside papay's 07:00–22:00
      const key = 'plan_wx:manual:n1';
      const answer = await payNow(key);
      expect(answer).toEqual({ outcome: 'requires_action', next: { type: 'qr_code', payload: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) } });
      // A repeated request answers the same order's code.
      expect(await payNow(key)).toEqual(answer);
      expect(await gateway.status(query(key))).toEqual({ status: 'pending' });
      await fake.payNative(outTradeNo(key));
      expect(await gateway.status(query(key))).toMatchObject({ status: 'captured' });
      expect(await payNow(key)).toMatchObject({ outcome: 'captured' });
      expect(fake.ledger().filter((c) => c.outTradeNo === outTradeNo(key))).toHaveLength(1);
    });

    it('closes an abandoned Native order so it can never be paid later', async () => {
      const key = 'plan_wx:manual:n2';
      await payNow(key);
      expect(await gateway.cancel(query(key))).toEqual({ status: 'declined', code: 'canceled' });
      expect(fake.orders().find((o) => o.outTradeNo === outTradeNo(key))?.state).toBe('CLOSED');
      await expect(fake.payNative(outTradeNo(key))).rejects.toThrow(/no unpaid Native order/);
      expect(fake.ledger().filter((c) => c.outTradeNo === outTradeNo(key))).toEqual([]);
    });
  });

  describe('Method: captures', () => {
    it('leaves out a day whose trade bill WeChat has not made yet (before 10:00 the next day), and says so when WeChat is late', async () => {
      const contractId = await signedContract('cus_bill', 'kbill');
      now = new Date('2026-03-10T02:00:00Z');
      await gateway.preDebitNotice({ token: contractId, amount: 700, currency: 'CNY' });
      now = new Date('2026-03-12T02:00:00Z'); // 10:00 Beijing, 12 March
      await charge(contractId, 'plan_wx:9:1', 700);
      const from = new Date('2026-03-11T16:00:00Z'); // 12 March, Beijing
      const to = new Date('2026-03-12T16:00:00Z');
      now = new Date('2026-03-13T01:59:00Z'); // 09:59 Beijing, 13 March
      const billsAsked = () => fake.exchanges().filter((e) => e.path === '/v3/bill/tradebill').length;
      const asked = billsAsked();
      expect(await gateway.captures(from, to)).toEqual([]);
      expect(billsAsked()).toBe(asked);
      now = new Date('2026-03-13T02:00:00Z');
      fake.inject({ kind: 'error', code: 'STATEMENT_CREATING', path: '/v3/bill/tradebill' });
      await expect(gateway.captures(from, to)).rejects.toMatchObject({ name: 'ListingNotReady', provider: 'wechat_pay', day: '2026-03-12' });
      expect(await gateway.captures(from, to)).toEqual([expect.objectContaining({ idempotencyKey: 'plan_wx:9:1', amount: 700 })]);
      expect(gateway.listingLag).toEqual({ readyAt: '10:00', timeZone: 'Asia/Shanghai' });
    });

    it('lists the day’s captures from the trade bill, by attempt id, in fen', async () => {
      const contractId = await signedContract('cus_6', 'k7');
      now = new Date('2026-03-01T02:00:00Z');
      await gateway.preDebitNotice({ token: contractId, amount: 12345, currency: 'CNY' });
      now = new Date('2026-03-03T01:30:00Z'); // 09:30 Beijing, 3 March
      await charge(contractId, 'plan_wx:5:1', 12345);
      now = new Date('2026-03-04T03:00:00Z');
      const from = new Date('2026-03-02T16:00:00Z'); // 3 March, Beijing
      const to = new Date('2026-03-03T16:00:00Z');
      const captures = await gateway.captures(from, to);
      expect(captures).toEqual([
        { provider: 'wechat_pay', idempotencyKey: 'plan_wx:5:1', gatewayReference: expect.any(String), amount: 12345, currency: 'CNY', capturedAt: '2026-03-03T01:30:00.000Z' },
      ]);
    });

    it('reads what was charged (订单金额), not what is settled after a merchant-funded voucher (应结订单金额)', async () => {
      const contractId = await signedContract('cus_6v', 'k7v');
      now = new Date('2026-03-01T02:00:00Z');
      await gateway.preDebitNotice({ token: contractId, amount: 20000, currency: 'CNY' });
      now = new Date('2026-03-03T02:30:00Z'); // 10:30 Beijing, 3 March
      await charge(contractId, 'plan_wxv:1:1', 20000);
      const order = fake.orders().find((o) => o.attach === 'plan_wxv:1:1' || o.outTradeNo.startsWith('plan_wxv'));
      fake.applyVoucher(order!.outTradeNo, 500);
      now = new Date('2026-03-04T03:00:00Z');

      const captures = await gateway.captures(new Date('2026-03-02T16:00:00Z'), new Date('2026-03-03T16:00:00Z'));

      expect(captures.find((c) => c.idempotencyKey === 'plan_wxv:1:1')?.amount).toBe(20000);
    });
  });

  describe('Method: release', () => {
    it('terminates the contract, and a contract already ended is released too', async () => {
      const contractId = await signedContract('cus_7', 'k8');
      await gateway.release({ token: contractId });
      expect(fake.contracts().find((c) => c.contractId === contractId)?.state).toBe('TERMINATED');
      await expect(gateway.release({ token: contractId })).resolves.toBeUndefined();
    });
  });

  describe('Answer verification', () => {
    it('refuses answers signed by another platform key', async () => {
      const other = await startWechatPayFake({ clock });
      try {
        const k = fake.keys;
        const impostor = gatewayFor(fake, { platformPublicKey: other.keys.platformPublicKey, planId: String(k.planId) });
        await expect(impostor.startSetup({ customerId: 'cus_8', methodType: 'wechat_pay', setupKey: 'k9' })).rejects.toThrow();
      } finally {
        await other.close();
      }
    });
    it('is refused by WeChat when the request is signed with another merchant key', async () => {
      const other = await startWechatPayFake({ clock });
      try {
        const impostor = gatewayFor(fake, { privateKey: other.keys.privateKey });
        await expect(impostor.startSetup({ customerId: 'cus_9', methodType: 'wechat_pay', setupKey: 'k10' })).rejects.toThrow();
        expect(fake.exchanges().at(-1)).toMatchObject({ status: 401, answer: { code: 'SIGN_ERROR' } });
      } finally {
        await other.close();
      }
    });
  });
});
