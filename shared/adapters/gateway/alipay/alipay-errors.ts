/**
 * Alipay's answers in repayflow's decline vocabulary (shared/domain/dunning.ts).
 *
 * Sources: the common error codes, https://opendocs.alipay.com/common/02km9f (10000 success,
 * 10003 waiting for the buyer, 20000 service unavailable, 40001/40002 missing or invalid
 * arguments, 40004 business failure with a `sub_code`), and the `alipay.trade.pay` error-code
 * table of 商家扣款, https://opendocs.alipay.com/open/1ef5bf5d_alipay.trade.pay (错误码), whose
 * advice for ACQ.SYSTEM_ERROR is "call the query API at once" and for ACQ.TRADE_HAS_SUCCESS
 * "the trade is paid".
 */

export type AlipayDebitAnswer =
  /** Declined: retry later (the customer's balance may recover), or final until the customer acts. */
  | { kind: 'declined'; code: string }
  /** Alipay may or may not have charged: ask `alipay.trade.query`. */
  | { kind: 'ask' }
  /** A request repayflow built wrong, or a merchant account problem: a fault to see, not a decline. */
  | { kind: 'fault' };

/** Worth trying again on the dunning schedule. */
const RETRYABLE: Record<string, 'insufficient_funds' | 'processing_error' | 'issuer_unavailable'> = {
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': 'insufficient_funds',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': 'insufficient_funds',
  'ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE': 'insufficient_funds',
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': 'insufficient_funds',
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': 'insufficient_funds',
  'ACQ.PRODUCT_AMOUNT_LIMIT_ERROR': 'insufficient_funds',
  'ACQ.PAYMENT_FAIL': 'processing_error',
  'ACQ.PAYMENT_REQUEST_HAS_RISK': 'processing_error',
  'ACQ.PULL_MOBILE_CASHIER_FAIL': 'processing_error',
  // The trade under this out_trade_no was closed unpaid: this attempt failed, the next one uses a new number.
  'ACQ.TRADE_HAS_CLOSE': 'processing_error',
};

/** Needs the customer: no retry of this agreement will pass until they sign again or choose another method. */
const NEEDS_CUSTOMER: Record<string, 'method_revoked' | 'account_closed' | 'invalid_method'> = {
  'ACQ.AGREEMENT_NOT_EXIST': 'method_revoked',
  'ACQ.AGREEMENT_INVALID': 'method_revoked',
  'ACQ.AGREEMENT_STATUS_NOT_NORMAL': 'method_revoked',
  'ACQ.AGREEMENT_ERROR': 'method_revoked',
  'ACQ.PAYMENT_AUTH_CODE_INVALID': 'method_revoked',
  'ACQ.BUYER_ENABLE_STATUS_FORBID': 'account_closed',
  'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT': 'account_closed',
  'ACQ.ERROR_BALANCE_PAYMENT_DISABLE': 'invalid_method',
  'ACQ.USER_FACE_PAYMENT_SWITCH_OFF': 'invalid_method',
};

/** Answers after which Alipay may have charged: its advice is to query the trade. */
const ASK = new Set(['ACQ.SYSTEM_ERROR', 'ACQ.TRADE_HAS_SUCCESS', 'isp.unknow-error', 'aop.ACQ.SYSTEM_ERROR']);

export function classifyDebitAnswer(code: string, subCode: string | undefined): AlipayDebitAnswer {
  if (code === '20000') return { kind: 'ask' };
  if (subCode && ASK.has(subCode)) return { kind: 'ask' };
  if (subCode && RETRYABLE[subCode]) return { kind: 'declined', code: RETRYABLE[subCode] };
  if (subCode && NEEDS_CUSTOMER[subCode]) return { kind: 'declined', code: NEEDS_CUSTOMER[subCode] };
  // ACQ.INVALID_PARAMETER, ACQ.CONTEXT_INCONSISTENT (the same out_trade_no with another amount),
  // ACQ.ACCESS_FORBIDDEN, ACQ.PARTNER_ERROR, isv.* (signature, app id): not the customer's doing.
  return { kind: 'fault' };
}
