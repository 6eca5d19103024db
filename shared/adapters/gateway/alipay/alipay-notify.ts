/**
 * Alipay's asynchronous notifications (https://opendocs.alipay.com/open/270/105902): a form
 * POST signed with Alipay's private key over every parameter except `sign` and `sign_type`,
 * verified here with the SDK's `checkNotifySignV2` and Alipay's public key. A notification is
 * a hint only: it names the trade (`trade_status_sync`: the attempt behind `out_trade_no`) or
 * the agreement (`dut_user_sign`: the setup behind `external_agreement_no`) to ask Alipay about.
 */
import type { AlipaySdk } from 'alipay-sdk';
import { fenFromYuan } from './alipay-bill.ts';
import { attemptIdOf } from './alipay-gateway.ts';

export type AlipayNotifyCheck =
  | {
      ok: true;
      notifyId: string;
      notifyType: string;
      /** trade_status_sync: the attempt the trade was made for, and what the notice says of it. */
      attemptId?: string;
      tradeStatus?: string;
      /** Fen, from `total_amount`. */
      amount?: number;
      /** dut_user_sign: the setup (external_agreement_no) and whose it is (external_logon_id). */
      setupId?: string;
      customerId?: string;
    }
  | { ok: false; code: 'bad_signature' | 'malformed' | 'wrong_app'; detail: string };

/**
 * Alipay signs `k1=v1&k2=v2…` over the decoded values sorted by name, so a value holding `&name=`
 * could be re-split into other parameters under the same signature (a `subject` of
 * `x&trade_status=TRADE_CLOSED`). Such a form, or one naming a parameter twice, is refused before
 * any value is read; the values are verified decoded exactly once (`checkNotifySignV2`, which
 * does not decode again, so a `%` or `+` in a value is signed as Alipay wrote it).
 */
const AMBIGUOUS = /&[^&=]*=/;

export function verifyAlipayNotify(rawBody: string, sdk: AlipaySdk, appId: string): AlipayNotifyCheck {
  const form: Record<string, string> = {};
  try {
    for (const [k, v] of new URLSearchParams(rawBody)) {
      if (Object.hasOwn(form, k)) return { ok: false, code: 'malformed', detail: `${k} is given twice` };
      if (/[&=]/.test(k) || AMBIGUOUS.test(v)) return { ok: false, code: 'malformed', detail: `${k} holds "&name=", which would make the signed text ambiguous` };
      form[k] = v;
    }
  } catch {
    return { ok: false, code: 'malformed', detail: 'the body is not a form' };
  }
  if (!form['sign']) return { ok: false, code: 'bad_signature', detail: 'the notification carries no sign' };
  if (form['sign_type'] && form['sign_type'] !== 'RSA2') return { ok: false, code: 'bad_signature', detail: `sign_type ${form['sign_type']} is not accepted (RSA2 only)` };
  let verified = false;
  try {
    verified = sdk.checkNotifySignV2(form);
  } catch {
    verified = false;
  }
  if (!verified) return { ok: false, code: 'bad_signature', detail: "the signature does not match Alipay's public key" };
  if (form['app_id'] !== appId) return { ok: false, code: 'wrong_app', detail: 'the notification is for another application' };
  const notifyId = form['notify_id'];
  const notifyType = form['notify_type'];
  if (!notifyId || !/^[A-Za-z0-9_.:-]{1,128}$/.test(notifyId) || !notifyType) return { ok: false, code: 'malformed', detail: 'notify_id and notify_type are required' };
  const out: AlipayNotifyCheck & { ok: true } = { ok: true, notifyId, notifyType };
  if (notifyType === 'trade_status_sync' && form['out_trade_no']) {
    const attemptId = attemptIdOf(form['out_trade_no']) ?? form['body'];
    if (attemptId) out.attemptId = attemptId;
    if (form['trade_status']) out.tradeStatus = form['trade_status'];
    if (form['total_amount']) {
      try {
        out.amount = fenFromYuan(form['total_amount']);
      } catch {
        return { ok: false, code: 'malformed', detail: 'total_amount is not an amount' };
      }
    }
  }
  if (notifyType === 'dut_user_sign' && form['external_agreement_no']) {
    out.setupId = form['external_agreement_no'];
    if (form['external_logon_id']) out.customerId = form['external_logon_id'];
  }
  return out;
}
