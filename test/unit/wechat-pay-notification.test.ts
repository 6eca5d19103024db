/**
 * WeChat Pay notifications as the fake of its APIv3 sends them: the envelope signed with the
 * platform key, the resource encrypted with AEAD_AES_256_GCM under the APIv3 key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWechatPayNotification } from '../../shared/adapters/gateway/wechat-pay/wechat-pay-notification.ts';
import { startWechatPayFake, type WechatPayFake } from '../fakes/wechat-pay/wechat-pay-fake.ts';

const NOW = new Date('2026-02-28T01:00:05Z');
let fake: WechatPayFake;
let other: WechatPayFake;

beforeAll(async () => {
  fake = await startWechatPayFake({ clock: { now: () => NOW } });
  other = await startWechatPayFake({ clock: { now: () => NOW } });
});
afterAll(async () => {
  await fake.close();
  await other.close();
});

function notification(resource: object, eventType = 'TRANSACTION.SUCCESS', source = fake) {
  const body = JSON.stringify({
    id: 'EV-1',
    create_time: '2026-02-28T09:00:05+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '支付成功',
    resource: source.encryptResource(JSON.stringify(resource), 'transaction'),
  });
  const h = source.signNotification(body, NOW);
  return { body, headers: { timestamp: h['Wechatpay-Timestamp'], nonce: h['Wechatpay-Nonce'], signature: h['Wechatpay-Signature'], serial: h['Wechatpay-Serial'] } };
}

const keys = () => ({ apiV3Key: fake.keys.apiV3Key, platformSerial: fake.keys.platformSerial, platformPublicKey: fake.keys.platformPublicKey });
const payment = { out_trade_no: 'plan_0123456789abcdef*1*1', attach: 'plan_0123456789abcdef:1:1', trade_state: 'SUCCESS', amount: { total: 54400, currency: 'CNY' } };

describe('Function: verifyWechatPayNotification', () => {
  it('verifies the platform signature and decrypts the resource into a hint', () => {
    const n = notification(payment);
    expect(verifyWechatPayNotification(n.body, n.headers, keys(), NOW)).toEqual({
      ok: true,
      eventId: 'EV-1',
      eventType: 'TRANSACTION.SUCCESS',
      attemptId: 'plan_0123456789abcdef:1:1',
      amount: 54400,
      currency: 'CNY',
    });
  });
  it('reads the attempt id back from a readable out_trade_no when attach is absent', () => {
    const n = notification({ ...payment, attach: undefined });
    expect(verifyWechatPayNotification(n.body, n.headers, keys(), NOW)).toMatchObject({ ok: true, attemptId: 'plan_0123456789abcdef:1:1' });
  });
  it('names the setup and the customer of a signing notification', () => {
    const n = notification({ out_contract_code: 'cabc', contract_id: '2022000001', contract_display_account: 'cus_1', contract_state: 'SIGNED' }, 'PAPAY.SIGN');
    expect(verifyWechatPayNotification(n.body, n.headers, keys(), NOW)).toMatchObject({ ok: true, setupId: 'cabc', customerId: 'cus_1' });
  });
  it('refuses a tampered body', () => {
    const n = notification(payment);
    expect(verifyWechatPayNotification(n.body.replace('EV-1', 'EV-2'), n.headers, keys(), NOW)).toMatchObject({ ok: false, code: 'bad_signature' });
  });
  it('refuses a notification signed by another platform key under our serial', () => {
    const n = notification(payment, 'TRANSACTION.SUCCESS', other);
    expect(verifyWechatPayNotification(n.body, { ...n.headers, serial: fake.keys.platformSerial }, keys(), NOW)).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyWechatPayNotification(n.body, n.headers, keys(), NOW)).toMatchObject({ ok: false, code: 'bad_signature' });
  });
  it('refuses a timestamp more than 300 s from our clock, either way', () => {
    const n = notification(payment);
    expect(verifyWechatPayNotification(n.body, n.headers, keys(), new Date(NOW.getTime() + 301_000))).toMatchObject({ ok: false, code: 'expired' });
    expect(verifyWechatPayNotification(n.body, n.headers, keys(), new Date(NOW.getTime() - 301_000))).toMatchObject({ ok: false, code: 'expired' });
  });
  it('refuses a resource encrypted under another APIv3 key', () => {
    const n = notification(payment);
    expect(verifyWechatPayNotification(n.body, n.headers, { ...keys(), apiV3Key: other.keys.apiV3Key }, NOW)).toMatchObject({ ok: false, code: 'undecryptable' });
  });
  it('refuses missing signature headers', () => {
    const n = notification(payment);
    expect(verifyWechatPayNotification(n.body, { ...n.headers, signature: undefined }, keys(), NOW)).toMatchObject({ ok: false, code: 'missing_signature' });
  });
});
