/**
 * The Alipay fake verifies what Alipay's gateway verifies, and signs what Alipay signs so that
 * the official SDK's own checks run: requests signed RSA2 over the sorted parameters with the
 * merchant's key (generated at test time), answers signed over the `*_response` JSON text with
 * Alipay's key, notifications signed over their sorted fields without `sign` and `sign_type`.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTradeBill } from '../../shared/adapters/gateway/alipay/alipay-bill.ts';
import { ACCOUNTS, type AlipayFake, alipaySignContent, beijingTime, startAlipayFake } from '../fakes/alipay/alipay-fake.ts';
import { TestClock } from '../support/test-clock.ts';

let fake: AlipayFake;
let clock: TestClock;
let sdk: AlipaySdk;
let seq = 0;

const newSdk = (overrides: Partial<ConstructorParameters<typeof AlipaySdk>[0]> = {}) =>
  new AlipaySdk({
    appId: fake.appId,
    privateKey: fake.appPrivateKey,
    keyType: 'PKCS8',
    alipayPublicKey: fake.alipayPublicKey,
    gateway: fake.gateway,
    camelcase: false,
    ...overrides,
  });
const exec = (method: string, bizContent: Record<string, unknown>, client = sdk, extra: Record<string, string> = {}) =>
  client.exec(method, { bizContent, timestamp: beijingTime(new Date()), ...extra }, { validateSign: true });

/** Opens a signing page and agrees on it with a test account: the agreement number. */
async function signAgreement(account = '13800005678'): Promise<{ agreementNo: string; externalAgreementNo: string }> {
  seq += 1;
  const externalAgreementNo = `T${Date.now().toString(36)}${seq}`;
  const url = sdk.pageExecute('alipay.user.agreement.page.sign', 'GET', {
    bizContent: {
      personal_product_code: 'GENERAL_WITHHOLDING_P',
      sign_scene: 'INDUSTRY|DIGITAL_MEDIA',
      external_agreement_no: externalAgreementNo,
      external_logon_id: `cus_${seq}`,
      access_params: { channel: 'ALIPAYAPP' },
    },
    notifyUrl: 'http://127.0.0.1:9/notify',
  });
  const { agreementNo } = await fake.confirmSigning(url, account);
  return { agreementNo, externalAgreementNo };
}

const pay = (agreementNo: string, outTradeNo: string, totalAmount = '100.00') =>
  exec(
    'alipay.trade.pay',
    { out_trade_no: outTradeNo, total_amount: totalAmount, subject: 'installment', product_code: 'GENERAL_WITHHOLDING', agreement_params: { agreement_no: agreementNo } },
    sdk,
    { notifyUrl: 'http://127.0.0.1:9/notify' },
  );

beforeAll(async () => {
  clock = new TestClock(new Date('2026-03-01T02:00:00Z'));
  fake = await startAlipayFake({ clock, autoNotify: false });
  sdk = newSdk();
});
afterAll(async () => {
  await fake?.stop();
});

describe('Alipay fake: request signatures and public parameters', () => {
  it('accepts a request the SDK signed with the merchant key, and its answer passes the SDK signature check', async () => {
    const answer = await exec('alipay.trade.query', { out_trade_no: 'none_such' });
    expect(answer).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST' });
    const sent = fake.exchanges().at(-1)!;
    expect(sent.params).toMatchObject({ app_id: fake.appId, method: 'alipay.trade.query', charset: 'utf-8', sign_type: 'RSA2', version: '1.0' });
    expect(sent.params.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('refuses a request signed with another key (isv.invalid-signature)', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const answer = await exec('alipay.trade.query', { out_trade_no: 'x' }, newSdk({ privateKey: other }));
    expect(answer).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature' });
  });

  it('refuses a request whose parameters were changed after signing', async () => {
    const params: Record<string, string> = {
      app_id: fake.appId,
      method: 'alipay.trade.query',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: beijingTime(new Date()),
      version: '1.0',
      biz_content: JSON.stringify({ out_trade_no: 'a' }),
    };
    params.sign = createSign('RSA-SHA256')
      .update(alipaySignContent(params, ['sign']), 'utf8')
      .sign(fake.appPrivateKey, 'base64');
    const tampered = { ...params, biz_content: JSON.stringify({ out_trade_no: 'b' }) };
    const res = await fetch(fake.gateway, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(tampered).toString() });
    expect(JSON.parse(await res.text()).alipay_trade_query_response).toMatchObject({ sub_code: 'isv.invalid-signature' });
    const honest = await fetch(fake.gateway, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    expect(JSON.parse(await honest.text()).alipay_trade_query_response).toMatchObject({ sub_code: 'ACQ.TRADE_NOT_EXIST' });
  });

  it.each([
    ['app_id', '2021999999999999', 'isv.invalid-app-id'],
    ['charset', 'gbk', 'isv.invalid-charset'],
    ['timestamp', '2026/03/01 10:00', 'isv.invalid-timestamp'],
    ['sign_type', 'RSA', 'isv.invalid-signature-type'],
    ['version', '2.0', 'isv.invalid-parameter'],
    ['format', 'XML', 'isv.invalid-format'],
  ])('refuses a signed request with %s=%s (%s)', async (name, value, subCode) => {
    const params: Record<string, string> = {
      app_id: fake.appId,
      method: 'alipay.trade.query',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: beijingTime(new Date()),
      version: '1.0',
      biz_content: '{"out_trade_no":"a"}',
      [name]: value,
    };
    params.sign = createSign('RSA-SHA256')
      .update(alipaySignContent(params, ['sign']), 'utf8')
      .sign(fake.appPrivateKey, 'base64');
    const res = await fetch(`${fake.gateway}?${new URLSearchParams(params)}`, { method: 'POST' });
    expect(JSON.parse(await res.text()).alipay_trade_query_response).toMatchObject({ code: '40002', sub_code: subCode });
  });

  it("makes the SDK reject an answer that was not signed with Alipay's key", async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(exec('alipay.trade.query', { out_trade_no: 'x' }, newSdk({ alipayPublicKey: stranger }))).rejects.toThrow(AlipayRequestError);
  });
});

describe('Alipay fake: agreements (商家扣款)', () => {
  it("signs an agreement on the signing page, notifies it signed with Alipay's key, and answers the agreement query", async () => {
    const { agreementNo, externalAgreementNo } = await signAgreement();
    const notice = fake.notifications().find((n) => n.form.agreement_no === agreementNo)!;
    expect(notice.form).toMatchObject({
      notify_type: 'dut_user_sign',
      status: 'NORMAL',
      external_agreement_no: externalAgreementNo,
      alipay_logon_id: '138****5678',
      sign_type: 'RSA2',
    });
    expect(sdk.checkNotifySignV2(notice.form)).toBe(true);
    expect(sdk.checkNotifySignV2({ ...notice.form, alipay_logon_id: '139****0000' })).toBe(false);

    const byExternal = await exec('alipay.user.agreement.query', {
      personal_product_code: 'GENERAL_WITHHOLDING_P',
      sign_scene: 'INDUSTRY|DIGITAL_MEDIA',
      external_agreement_no: externalAgreementNo,
    });
    expect(byExternal).toMatchObject({ code: '10000', agreement_no: agreementNo, status: 'NORMAL', alipay_logon_id: '138****5678' });
    const before = await exec('alipay.user.agreement.query', {
      personal_product_code: 'GENERAL_WITHHOLDING_P',
      sign_scene: 'INDUSTRY|DIGITAL_MEDIA',
      external_agreement_no: 'NeverSigned1',
    });
    expect(before).toMatchObject({ code: '40004', sub_code: 'USER_AGREEMENT_NOT_EXIST' });
  });

  it('refuses a signing page without access_params, or with external_agreement_no and the default scene', async () => {
    const page = (biz: Record<string, unknown>) => fetch(sdk.pageExecute('alipay.user.agreement.page.sign', 'GET', { bizContent: biz }));
    const noAccess = await page({ personal_product_code: 'GENERAL_WITHHOLDING_P' });
    expect(noAccess.status).toBe(400);
    const defaultScene = await page({
      personal_product_code: 'GENERAL_WITHHOLDING_P',
      external_agreement_no: 'A1',
      sign_scene: 'DEFAULT|DEFAULT',
      access_params: { channel: 'ALIPAYAPP' },
    });
    expect(await defaultScene.text()).toContain('sign_scene');
  });

  it('ends an agreement on unsign: later debits fail with ACQ.AGREEMENT_INVALID', async () => {
    const { agreementNo } = await signAgreement();
    expect(await exec('alipay.user.agreement.unsign', { agreement_no: agreementNo })).toMatchObject({ code: '10000' });
    expect(await pay(agreementNo, 'after_unsign_1')).toMatchObject({ code: '40004', sub_code: 'ACQ.AGREEMENT_INVALID' });
    expect(await exec('alipay.user.agreement.unsign', { agreement_no: agreementNo })).toMatchObject({ sub_code: 'USER_AGREEMENT_NOT_EXIST' });
    expect(await pay('20990101000000000000', 'no_agreement_1')).toMatchObject({ sub_code: 'ACQ.AGREEMENT_NOT_EXIST' });
  });
});

describe('Alipay fake: debits (alipay.trade.pay) and queries', () => {
  it('captures once per out_trade_no: a repeat is ACQ.TRADE_HAS_SUCCESS, another amount ACQ.CONTEXT_INCONSISTENT', async () => {
    const { agreementNo } = await signAgreement();
    const first = await pay(agreementNo, 'plan_Ux_C1_C1', '123.45');
    expect(first).toMatchObject({ code: '10000', out_trade_no: 'plan_Ux_C1_C1', total_amount: '123.45', trade_status: 'TRADE_SUCCESS' });
    expect(await pay(agreementNo, 'plan_Ux_C1_C1', '123.45')).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_HAS_SUCCESS' });
    expect(await pay(agreementNo, 'plan_Ux_C1_C1', '123.46')).toMatchObject({ code: '40004', sub_code: 'ACQ.CONTEXT_INCONSISTENT' });
    expect(
      fake
        .ledger()
        .filter((c) => c.outTradeNo === 'plan_Ux_C1_C1')
        .map((c) => c.amount),
    ).toEqual([12345]);
    expect(await exec('alipay.trade.query', { out_trade_no: 'plan_Ux_C1_C1' })).toMatchObject({
      code: '10000',
      trade_status: 'TRADE_SUCCESS',
      trade_no: first.trade_no,
      total_amount: '123.45',
    });
  });

  it.each([
    ['plan:1:1', 'a colon'],
    ['x'.repeat(65), '65 characters'],
  ])('refuses an out_trade_no with %s (%s)', async (outTradeNo) => {
    const { agreementNo } = await signAgreement();
    expect(await pay(agreementNo, outTradeNo)).toMatchObject({ code: '40004', sub_code: 'ACQ.INVALID_PARAMETER' });
  });

  it.each([['12.345'], ['0.00'], ['-1.00'], ['1e3']])('refuses total_amount %s', async (amount) => {
    const { agreementNo } = await signAgreement();
    expect(await pay(agreementNo, `amount_${seq}`, amount)).toMatchObject({ sub_code: 'ACQ.INVALID_PARAMETER' });
  });

  it("answers each test account's scenario with Alipay's codes", async () => {
    const poor = await signAgreement('13900000001');
    expect(await pay(poor.agreementNo, `poor_${seq}`)).toMatchObject({ code: '40004', sub_code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' });
    const forbidden = await signAgreement('13500000004');
    expect(await pay(forbidden.agreementNo, `forbidden_${seq}`)).toMatchObject({ sub_code: 'ACQ.BUYER_ENABLE_STATUS_FORBID' });

    const waits = await signAgreement('13700000002');
    expect(await pay(waits.agreementNo, `waits_${seq}`)).toMatchObject({ code: '10003', trade_status: 'WAIT_BUYER_PAY' });
    expect(await exec('alipay.trade.query', { out_trade_no: `waits_${seq}` })).toMatchObject({ trade_status: 'WAIT_BUYER_PAY' });
    expect(await fake.settleWaiting()).toBe(1);
    expect(await exec('alipay.trade.query', { out_trade_no: `waits_${seq}` })).toMatchObject({ trade_status: 'TRADE_SUCCESS' });
    const tradeNotice = fake.notifications().find((n) => n.form.out_trade_no === `waits_${seq}`)!;
    expect(tradeNotice.form).toMatchObject({ notify_type: 'trade_status_sync', trade_status: 'TRADE_SUCCESS', total_amount: '100.00', app_id: fake.appId });

    const lost = await signAgreement('13600000003');
    expect(await pay(lost.agreementNo, `lost_${seq}`)).toMatchObject({ code: '40004', sub_code: 'ACQ.SYSTEM_ERROR' });
    expect(await exec('alipay.trade.query', { out_trade_no: `lost_${seq}` })).toMatchObject({ trade_status: 'TRADE_SUCCESS' });
    expect(Object.keys(ACCOUNTS)).toHaveLength(5);
  });

  it('runs the request and then drops the answer on a drop_response fault; a resend of the same trade never captures again', async () => {
    const { agreementNo } = await signAgreement();
    fake.fault({ kind: 'drop_response', method: 'alipay.trade.pay', times: 2 });
    // The SDK's HTTP client sends once more on a broken connection: both answers are lost.
    await expect(pay(agreementNo, `dropped_${seq}`)).rejects.toThrow(AlipayRequestError);
    expect(
      fake
        .exchanges()
        .filter((e) => e.biz.out_trade_no === `dropped_${seq}`)
        .map((e) => [e.dropped, e.subCode]),
    ).toEqual([
      [true, undefined],
      [true, 'ACQ.TRADE_HAS_SUCCESS'],
    ]);
    expect(fake.ledger().filter((c) => c.outTradeNo === `dropped_${seq}`)).toHaveLength(1);
  });
});

describe('Alipay fake: the daily trade bill', () => {
  it("serves a finished Beijing day's bill as a zipped GBK CSV with every capture of that day, and no bill for today", async () => {
    clock.set('2026-03-02T03:00:00Z'); // 11:00 on 2 March in Beijing
    const { agreementNo } = await signAgreement();
    await pay(agreementNo, `bill_${seq}`, '54.40');
    const today = await exec('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: '2026-03-02' });
    expect(today).toMatchObject({ code: '40004', sub_code: 'isp.bill_not_exist' });

    clock.set('2026-03-03T01:00:00Z'); // 09:00 the next morning: Alipay is still making it
    const early = await exec('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: '2026-03-02' });
    expect(early).toMatchObject({ code: '40004', sub_code: 'isp.bill_not_exist' });

    clock.set('2026-03-03T02:00:00Z'); // 10:00
    const answer = await exec('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: '2026-03-02' });
    expect(answer).toMatchObject({ code: '10000' });
    const archive = Buffer.from(await (await fetch(String(answer.bill_download_url))).arrayBuffer());
    expect(archive.readUInt32LE(0)).toBe(0x04034b50); // a zip archive
    const rows = parseTradeBill(archive);
    const expected = fake.ledger().filter((c) => beijingTime(new Date(c.at)).startsWith('2026-03-02'));
    expect(rows.map((r) => [r.outTradeNo, r.amount, r.kind])).toEqual(expected.map((c) => [c.outTradeNo, c.amount, '交易']));
    expect(rows.find((r) => r.outTradeNo === `bill_${seq}`)?.completedAt.toISOString()).toBe('2026-03-02T03:00:00.000Z');
  });
});
