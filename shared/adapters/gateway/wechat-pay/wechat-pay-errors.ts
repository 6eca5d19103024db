/**
 * WeChat Pay's error codes in repayflow's decline vocabulary (shared/domain/dunning.ts).
 * Codes from WeChat Pay's APIv3 error table (https://pay.weixin.qq.com/docs/merchant/development/interface-rules/error-code.html)
 * and the papay deduction's own table (受理扣款, https://pay.weixin.qq.com/docs/partner/apis/entrusted-payment/partner/partner-create-transaction.html):
 *
 * - retryable: the wallet could not pay now (NOT_ENOUGH), or WeChat refused the request for now
 *   (FREQUENCY_LIMITED, RATELIMIT_EXCEEDED, RULE_LIMIT: outside the window its pre-debit notice
 *   opened, which the next notice reopens);
 * - final, the customer must act: the contract is gone or ended (CONTRACT_NOT_EXIST,
 *   CONTRACT_TERMINATED, CONTRACT_ERROR), the account cannot pay (USER_ACCOUNT_ABNORMAL);
 * - unknown, ask by out_trade_no (WeChat's advice on a timeout or a system error): SYSTEM_ERROR,
 *   ORDER_PAID (already charged under this out_trade_no), any 5xx, no answer;
 * - faults of ours, thrown (configuration or a bug, never a decline): PARAM_ERROR,
 *   INVALID_REQUEST, SIGN_ERROR, NO_AUTH.
 */

export type WechatPayErrorClass = { kind: 'declined'; code: string } | { kind: 'unknown' } | { kind: 'fault' };

const DECLINES: Record<string, string> = {
  NOT_ENOUGH: 'insufficient_funds',
  NOTENOUGH: 'insufficient_funds',
  FREQUENCY_LIMITED: 'issuer_unavailable',
  RATELIMIT_EXCEEDED: 'issuer_unavailable',
  RULE_LIMIT: 'processing_error',
  ORDER_CLOSED: 'processing_error',
  CONTRACT_NOT_EXIST: 'method_revoked',
  CONTRACT_TERMINATED: 'method_revoked',
  CONTRACT_ERROR: 'method_revoked',
  USER_ACCOUNT_ABNORMAL: 'account_closed',
  ACCOUNT_ERROR: 'account_closed',
};

const UNKNOWN = new Set(['SYSTEM_ERROR', 'SYSTEMERROR', 'ORDER_PAID', 'ORDERPAID', 'BANK_ERROR']);

export function classifyWechatPayError(status: number | undefined, code: string | undefined): WechatPayErrorClass {
  if (code && DECLINES[code]) return { kind: 'declined', code: DECLINES[code] };
  if (code && UNKNOWN.has(code)) return { kind: 'unknown' };
  if (status === undefined || status >= 500) return { kind: 'unknown' };
  return { kind: 'fault' };
}

/** A failed order's reason, as the order query describes it (`trade_state_desc`). */
export function declineOfFailedOrder(description: string | undefined): string {
  if (!description) return 'processing_error';
  if (/余额不足|NOT_?ENOUGH/i.test(description)) return 'insufficient_funds';
  if (/解约|协议|CONTRACT/i.test(description)) return 'method_revoked';
  if (/账户.*异常|ACCOUNT/i.test(description)) return 'account_closed';
  return 'processing_error';
}
