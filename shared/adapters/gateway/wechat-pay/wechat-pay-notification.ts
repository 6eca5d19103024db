/**
 * WeChat Pay's notifications (https://pay.weixin.qq.com/docs/merchant/development/interface-rules/certificate-callback-decryption.html):
 * the envelope is signed like an API answer (`Wechatpay-Signature` over
 * "timestamp\nnonce\nbody\n" with the platform key named by `Wechatpay-Serial`), and its
 * `resource` is encrypted with AEAD_AES_256_GCM under the APIv3 key. Checked here with the SDK's
 * own primitives, on the raw bytes, before anything is parsed further; a timestamp more than
 * 5 minutes from our clock is refused (a replay). A notification is only a hint: it names the
 * attempt (out_trade_no, attach) or the contract to ask WeChat about, never a result.
 */
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { attemptIdOf } from './wechat-pay-gateway.ts';

export const NOTIFICATION_TOLERANCE_SECONDS = 300;

export interface WechatPayNotificationKeys {
  apiV3Key: string;
  platformSerial: string;
  platformPublicKey: string;
}

export interface WechatPayNotificationHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  serial?: string;
}

export type WechatPayNotificationCheck =
  | {
      ok: true;
      eventId: string;
      eventType: string;
      /** A payment's attempt (TRANSACTION.*). */
      attemptId?: string;
      amount?: number;
      currency?: string;
      /** A contract's signing (PAPAY.*): its out_contract_code is the setup id, its display account our customer id. */
      setupId?: string;
      customerId?: string;
    }
  | { ok: false; code: 'missing_signature' | 'bad_signature' | 'expired' | 'malformed' | 'undecryptable'; detail: string };

export function verifyWechatPayNotification(rawBody: string, headers: WechatPayNotificationHeaders, keys: WechatPayNotificationKeys, now: Date): WechatPayNotificationCheck {
  const { timestamp, nonce, signature, serial } = headers;
  if (!timestamp || !nonce || !signature || !serial) return { ok: false, code: 'missing_signature', detail: 'Wechatpay-Timestamp, -Nonce, -Signature and -Serial are required' };
  if (serial !== keys.platformSerial) return { ok: false, code: 'bad_signature', detail: 'Wechatpay-Serial names a key this deployment does not hold' };
  let verified = false;
  try {
    verified = Rsa.verify(Formatter.response(timestamp, nonce, rawBody), signature, Rsa.from(keys.platformPublicKey, Rsa.KEY_TYPE_PUBLIC));
  } catch {
    verified = false;
  }
  if (!verified) return { ok: false, code: 'bad_signature', detail: 'the signature does not match the body' };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) > NOTIFICATION_TOLERANCE_SECONDS)
    return { ok: false, code: 'expired', detail: `the signature timestamp is more than ${NOTIFICATION_TOLERANCE_SECONDS} s from the server clock` };

  let envelope: { id?: unknown; event_type?: unknown; resource?: { algorithm?: unknown; ciphertext?: unknown; nonce?: unknown; associated_data?: unknown } };
  try {
    envelope = JSON.parse(rawBody) as typeof envelope;
  } catch {
    return { ok: false, code: 'malformed', detail: 'the body is not JSON' };
  }
  const r = envelope.resource;
  if (
    typeof envelope.id !== 'string' ||
    typeof envelope.event_type !== 'string' ||
    !r ||
    r.algorithm !== 'AEAD_AES_256_GCM' ||
    typeof r.ciphertext !== 'string' ||
    typeof r.nonce !== 'string'
  )
    return { ok: false, code: 'malformed', detail: 'not a WeChat Pay notification (id, event_type, resource with AEAD_AES_256_GCM)' };
  let resource: Record<string, unknown>;
  try {
    resource = JSON.parse(Aes.AesGcm.decrypt(r.ciphertext, keys.apiV3Key, r.nonce, typeof r.associated_data === 'string' ? r.associated_data : '')) as Record<string, unknown>;
  } catch {
    return { ok: false, code: 'undecryptable', detail: 'the resource does not decrypt with the APIv3 key' };
  }
  const hint: { attemptId?: string; amount?: number; currency?: string; setupId?: string; customerId?: string } = {};
  if (envelope.event_type.startsWith('TRANSACTION.')) {
    const attach = typeof resource['attach'] === 'string' ? resource['attach'] : undefined;
    const tradeNo = typeof resource['out_trade_no'] === 'string' ? resource['out_trade_no'] : undefined;
    const attemptId = attach || (tradeNo ? attemptIdOf(tradeNo) : undefined);
    if (attemptId) hint.attemptId = attemptId;
    const amount = resource['amount'] as { total?: unknown; currency?: unknown } | undefined;
    if (amount && Number.isSafeInteger(amount.total)) hint.amount = amount.total as number;
    if (amount && typeof amount.currency === 'string') hint.currency = amount.currency;
  }
  if (envelope.event_type.startsWith('PAPAY.') && typeof resource['out_contract_code'] === 'string') {
    hint.setupId = resource['out_contract_code'];
    // startSetup names the contract after our customer (contract_display_account).
    if (typeof resource['contract_display_account'] === 'string') hint.customerId = resource['contract_display_account'];
  }
  return { ok: true, eventId: envelope.id, eventType: envelope.event_type, ...hint };
}
