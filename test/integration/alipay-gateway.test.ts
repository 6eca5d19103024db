/**
 * The Alipay adapter (official `alipay-sdk`) against the Alipay fake (test/fakes/alipay), whose
 * ledger is the independent record of what was captured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDebitAnswer } from '../../shared/adapters/gateway/alipay/alipay-errors.ts';
import { AlipayGateway, alipaySdk, attemptIdOf, outTradeNo, yuanOf } from '../../shared/adapters/gateway/alipay/alipay-gateway.ts';
import { verifyAlipayNotify } from '../../shared/adapters/gateway/alipay/alipay-notify.ts';
import type { ChargeRequest } from '../../shared/ports/payment-gateway.port.ts';
import { type AlipayFake, startAlipayFake } from '../fakes/alipay/alipay-fake.ts';
import { TestClock } from '../support/test-clock.ts';

const MINUTE = 60_000;
let fake: AlipayFake;
let clock: TestClock;
let gateway: AlipayGateway;
let seq = 0;

async function bind(account?: string): Promise<string> {
  seq += 1;
  const started = await gateway.startSetup({ customerId: `cus_${seq}`, methodType: 'alipay', setupKey: `setup-${seq}-${Date.now()}`, returnUrl: '/methods' });
  if (started.next.type !== 'redirect') throw new Error('expected a signing page');
  await fake.confirmSigning(started.next.url, account);
  const status = await gateway.setupStatus(started.setupId);
  if (status.status !== 'succeeded') throw new Error(`not signed: ${JSON.stringify(status)}`);
  return status.token;
}
const request = (token: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  idempotencyKey: `plan_alipay${seq}:1:1`,
  provider: 'alipay',
  token,
  methodType: 'alipay',
  amount: 54400,
  currency: 'CNY',
  planId: `plan_alipay${seq}`,
  mode: 'auto',
  ...overrides,
});

beforeAll(async () => {
  clock = new TestClock(new Date('2026-02-28T01:00:00Z'));
  fake = await startAlipayFake({ clock, autoNotify: false });
  gateway = new AlipayGateway({
    appId: fake.appId,
    privateKey: fake.appPrivateKey,
    alipayPublicKey: fake.alipayPublicKey,
    gateway: fake.gateway,
    notifyUrl: 'http://127.0.0.1:9/v1/webhooks/alipay',
    returnOrigin: 'http://localhost:3000',
    clock,
  });
});
afterAll(async () => {
  await fake?.stop();
});

describe('Function: outTradeNo', () => {
  it.each(['plan_0123456789abcdefghjk:1:1', 'plan_x:12:3', 'p-1_2:manual:0123456789abcdef', 'odd.id:1:1'])('maps %s into Alipay’s alphabet and back', (id) => {
    const mapped = outTradeNo(id);
    expect(mapped).toMatch(/^[A-Za-z0-9_]{1,64}$/);
    expect(attemptIdOf(mapped)).toBe(id);
  });

  it('hashes an id whose mapping would pass 64 characters (the attempt id then travels in the body)', () => {
    const id = `plan_${'a'.repeat(60)}:1:1`;
    expect(outTradeNo(id)).toMatch(/^Z_[0-9a-f]{62}$/);
    expect(attemptIdOf(outTradeNo(id))).toBeUndefined();
  });

  it('writes fen as yuan exactly', () => {
    expect([1, 10, 100, 54400, 123456789, 0].map(yuanOf)).toEqual(['0.01', '0.10', '1.00', '544.00', '1234567.89', '0.00']);
  });
});

describe('Class: AlipayGateway', () => {
  describe('Method: startSetup / setupStatus', () => {
    it('hands out the signing page, pending until the customer signs, then the agreement with the masked account Alipay reports', async () => {
      const started = await gateway.startSetup({ customerId: 'cus_page', methodType: 'alipay', setupKey: 'page-1', returnUrl: '/methods' });
      expect(started.setupId).toMatch(/^RF[0-9a-f]{30}$/);
      expect(started.next).toMatchObject({ type: 'redirect' });
      const url = new URL((started.next as { url: string }).url);
      expect(`${url.origin}${url.pathname}`).toBe(fake.gateway);
      expect(url.searchParams.get('return_url')).toBe(`http://localhost:3000/methods?setup_intent=${started.setupId}&redirect_status=returned`);
      expect(JSON.parse(url.searchParams.get('biz_content')!)).toMatchObject({
        external_agreement_no: started.setupId,
        external_logon_id: 'cus_page',
        personal_product_code: 'GENERAL_WITHHOLDING_P',
      });
      expect(await gateway.setupStatus(started.setupId)).toEqual({ status: 'pending' });

      const { agreementNo } = await fake.confirmSigning(url.toString(), '13800005678');
      expect(await gateway.setupStatus(started.setupId)).toMatchObject({ status: 'succeeded', token: agreementNo, display: 'alipay 138****5678' });
      // The same setup key is the same authorisation.
      expect((await gateway.startSetup({ customerId: 'cus_page', methodType: 'alipay', setupKey: 'page-1' })).setupId).toBe(started.setupId);
    });

    it('never hands one customer the agreement another signed under the same setup key', async () => {
      // An operator reuses an Idempotency-Key for two customers (the key is scoped to the caller, not the customer).
      const a = await gateway.startSetup({ customerId: 'cus_key_a', methodType: 'alipay', setupKey: 'admin:reused-1' });
      const b = await gateway.startSetup({ customerId: 'cus_key_b', methodType: 'alipay', setupKey: 'admin:reused-1' });
      await fake.confirmSigning((a.next as { url: string }).url);
      expect(await gateway.setupStatus(a.setupId)).toMatchObject({ status: 'succeeded' });
      expect(b.setupId).not.toBe(a.setupId);
      expect(await gateway.setupStatus(b.setupId)).toEqual({ status: 'pending' });
    });

    it('refuses a token typed by the client: agreements are bound by signing', async () => {
      expect(await gateway.verifyToken({ token: 'tok_ok', methodType: 'alipay', customerId: 'cus_x' })).toMatchObject({ ok: false, code: 'unknown_token' });
    });
  });

  describe('Method: charge', () => {
    it('debits the agreement with the attempt id as out_trade_no and the amount in yuan, once', async () => {
      const token = await bind();
      const req = request(token);
      const first = await gateway.charge(req);
      expect(first).toMatchObject({ outcome: 'captured' });
      const sent = fake
        .exchanges()
        .filter((e) => e.method === 'alipay.trade.pay')
        .at(-1)!;
      expect(sent.biz).toMatchObject({
        out_trade_no: outTradeNo(req.idempotencyKey),
        total_amount: '544.00',
        product_code: 'GENERAL_WITHHOLDING',
        agreement_params: { agreement_no: token },
      });
      expect(sent.params.notify_url).toBe('http://127.0.0.1:9/v1/webhooks/alipay');
      // Charged again (a resumed attempt): Alipay says it is paid, never a second capture.
      expect(await gateway.charge(req)).toMatchObject({ outcome: 'unknown' });
      expect(await gateway.status({ idempotencyKey: req.idempotencyKey, provider: 'alipay', attemptedAt: clock.now() })).toEqual({
        status: 'captured',
        gatewayReference: (first as { gatewayReference: string }).gatewayReference,
      });
      expect(fake.ledger().filter((c) => c.outTradeNo === outTradeNo(req.idempotencyKey))).toHaveLength(1);
    });

    it('maps Alipay’s declines: insufficient balance retryable, a forbidden buyer or an ended agreement final', async () => {
      expect(await gateway.charge(request(await bind('13900000001')))).toEqual({ outcome: 'declined', code: 'insufficient_funds' });
      expect(await gateway.charge(request(await bind('13500000004')))).toEqual({ outcome: 'declined', code: 'account_closed' });
      const ended = await bind();
      await gateway.release({ token: ended });
      expect(await gateway.charge(request(ended))).toEqual({ outcome: 'declined', code: 'method_revoked' });
      await gateway.release({ token: ended }); // already ended: done
    });

    it('answers pending while the trade waits for the buyer, captured once Alipay settles it', async () => {
      const req = request(await bind('13700000002'));
      expect(await gateway.charge(req)).toEqual({ outcome: 'pending' });
      const query = { idempotencyKey: req.idempotencyKey, provider: 'alipay' as const, attemptedAt: clock.now() };
      expect(await gateway.status(query)).toEqual({ status: 'pending' });
      await fake.settleWaiting();
      expect(await gateway.status(query)).toMatchObject({ status: 'captured' });
    });

    it('answers unknown when the answer is lost or is ACQ.SYSTEM_ERROR, and the status query finds the capture', async () => {
      const lost = request(await bind());
      fake.fault({ kind: 'drop_response', method: 'alipay.trade.pay', times: 2 });
      expect(await gateway.charge(lost)).toMatchObject({ outcome: 'unknown' });
      expect(await gateway.status({ idempotencyKey: lost.idempotencyKey, provider: 'alipay', attemptedAt: clock.now() })).toMatchObject({ status: 'captured' });

      const systemError = request(await bind('13600000003'));
      expect(await gateway.charge(systemError)).toMatchObject({ outcome: 'unknown' });
      expect(await gateway.status({ idempotencyKey: systemError.idempotencyKey, provider: 'alipay', attemptedAt: clock.now() })).toMatchObject({ status: 'captured' });
    });

    it('throws on a request Alipay calls inconsistent (the same out_trade_no with another amount): a bug, not a decline', async () => {
      const req = request(await bind());
      await gateway.charge(req);
      await expect(gateway.charge({ ...req, amount: req.amount + 1 })).rejects.toThrow(/ACQ.CONTEXT_INCONSISTENT/);
    });
  });

  describe('Method: status', () => {
    it('says not_found only once no request of the attempt can still arrive', async () => {
      const query = { idempotencyKey: 'plan_never:1:1', provider: 'alipay' as const, attemptedAt: clock.now() };
      expect(await gateway.status(query)).toMatchObject({ status: 'unknown' });
      clock.advance(11 * MINUTE);
      expect(await gateway.status(query)).toEqual({ status: 'not_found' });
    });

    it('answers unknown when Alipay cannot be reached', async () => {
      fake.fault({ kind: 'error_500', method: 'alipay.trade.query' });
      expect(await gateway.status({ idempotencyKey: 'plan_x:1:1', provider: 'alipay', attemptedAt: new Date(0) })).toMatchObject({ status: 'unknown' });
    });
  });

  describe('Method: captures', () => {
    it('lists the captures of a window from Alipay’s daily bills, with the attempt ids and exact amounts', async () => {
      clock.set('2026-03-05T02:00:00Z');
      const req = request(await bind(), { amount: 12345 });
      const captured = await gateway.charge(req);
      clock.set('2026-03-06T02:00:00Z');
      const from = new Date('2026-03-04T16:00:00Z'); // 5 March in Beijing
      const to = new Date('2026-03-05T16:00:00Z');
      const listed = await gateway.captures(from, to);
      const expected = fake.ledger().filter((c) => c.at >= from.toISOString() && c.at < to.toISOString());
      expect(listed.map((c) => [c.gatewayReference, c.amount])).toEqual(expected.map((c) => [c.tradeNo, c.amount]));
      expect(listed.find((c) => c.idempotencyKey === req.idempotencyKey)).toMatchObject({
        provider: 'alipay',
        amount: 12345,
        currency: 'CNY',
        gatewayReference: (captured as { gatewayReference: string }).gatewayReference,
      });
    });

    it('leaves out the days whose bill Alipay has not published yet', async () => {
      clock.set('2026-03-06T02:00:00Z');
      expect(await gateway.captures(new Date('2026-03-05T16:00:00Z'), new Date('2026-03-06T16:00:00Z'))).toEqual([]);
    });
  });
});

describe('Function: verifyAlipayNotify', () => {
  it("accepts a notification signed with Alipay's key and names its attempt; refuses a changed or forged one", async () => {
    const sdk = alipaySdk({ appId: fake.appId, privateKey: fake.appPrivateKey, alipayPublicKey: fake.alipayPublicKey });
    const form = fake.signNotify({
      notify_id: 'n1',
      notify_type: 'trade_status_sync',
      notify_time: '2026-03-01 10:00:00',
      app_id: fake.appId,
      out_trade_no: outTradeNo('plan_a:2:1'),
      trade_status: 'TRADE_SUCCESS',
      total_amount: '544.00',
      charset: 'utf-8',
      version: '1.0',
    });
    const body = new URLSearchParams(form).toString();
    expect(verifyAlipayNotify(body, sdk, fake.appId)).toEqual({
      ok: true,
      notifyId: 'n1',
      notifyType: 'trade_status_sync',
      attemptId: 'plan_a:2:1',
      tradeStatus: 'TRADE_SUCCESS',
      amount: 54400,
    });
    expect(verifyAlipayNotify(new URLSearchParams({ ...form, total_amount: '5440.00' }).toString(), sdk, fake.appId)).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyAlipayNotify(new URLSearchParams({ ...form, sign: '' }).toString(), sdk, fake.appId)).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyAlipayNotify(body, sdk, '2021000000000000')).toMatchObject({ ok: false, code: 'wrong_app' });
  });

  const sdkOfFake = () => alipaySdk({ appId: fake.appId, privateKey: fake.appPrivateKey, alipayPublicKey: fake.alipayPublicKey });
  const tradeNotice = (extra: Record<string, string>) =>
    fake.signNotify({
      notify_id: `n-${Object.keys(extra).join('-')}`,
      notify_type: 'trade_status_sync',
      notify_time: '2026-03-01 10:00:00',
      app_id: fake.appId,
      out_trade_no: outTradeNo('plan_a:2:1'),
      trade_status: 'TRADE_SUCCESS',
      total_amount: '544.00',
      charset: 'utf-8',
      version: '1.0',
      ...extra,
    });

  it('verifies values holding %, + and a lone & decoded once, as Alipay signs them', () => {
    const form = tradeNotice({ subject: 'repayflow 100% + fees & more', body: 'a+b %41 c' });
    expect(verifyAlipayNotify(new URLSearchParams(form).toString(), sdkOfFake(), fake.appId)).toMatchObject({ ok: true, tradeStatus: 'TRADE_SUCCESS', amount: 54400 });
  });

  it('refuses a value holding "&name=": re-split under the same signature, it would set other parameters', () => {
    // Signed by Alipay with a subject holding `&total_amount=0.01`: the signed text is the same as
    // for subject `x` and total_amount `0.01&total_amount=544.00`, so neither reading is trusted.
    const form = tradeNotice({ subject: 'x&total_amount=0.01' });
    expect(verifyAlipayNotify(new URLSearchParams(form).toString(), sdkOfFake(), fake.appId)).toMatchObject({ ok: false, code: 'malformed' });
    const resplit = new URLSearchParams({ ...form, subject: 'x', total_amount: '0.01&total_amount=544.00' }).toString();
    expect(verifyAlipayNotify(resplit, sdkOfFake(), fake.appId)).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('refuses a form naming a parameter twice instead of reading one of its values', () => {
    const form = tradeNotice({});
    const body = `${new URLSearchParams(form).toString()}&trade_status=TRADE_CLOSED`;
    const prefixed = `trade_status=TRADE_CLOSED&${new URLSearchParams(form).toString()}`;
    expect(verifyAlipayNotify(body, sdkOfFake(), fake.appId)).toMatchObject({ ok: false, code: 'malformed' });
    expect(verifyAlipayNotify(prefixed, sdkOfFake(), fake.appId)).toMatchObject({ ok: false, code: 'malformed' });
  });
});

describe('Function: classifyDebitAnswer', () => {
  it.each([
    ['40004', 'ACQ.BUYER_BALANCE_NOT_ENOUGH', { kind: 'declined', code: 'insufficient_funds' }],
    ['40004', 'ACQ.AGREEMENT_NOT_EXIST', { kind: 'declined', code: 'method_revoked' }],
    ['40004', 'ACQ.PAYMENT_AUTH_CODE_INVALID', { kind: 'declined', code: 'method_revoked' }],
    ['40004', 'ACQ.SYSTEM_ERROR', { kind: 'ask' }],
    ['40004', 'ACQ.TRADE_HAS_SUCCESS', { kind: 'ask' }],
    ['20000', 'isp.unknow-error', { kind: 'ask' }],
    ['40004', 'ACQ.CONTEXT_INCONSISTENT', { kind: 'fault' }],
    ['40002', 'isv.invalid-signature', { kind: 'fault' }],
  ])('%s %s → %o', (code, subCode, expected) => {
    expect(classifyDebitAnswer(code, subCode)).toEqual(expected);
  });
});
