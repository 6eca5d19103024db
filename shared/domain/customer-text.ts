/**
 * The words a customer reads both in a notice (SMS, email: notices.ts) and in the portal
 * (web/src/i18n.ts, web/src/money.ts): amounts of money and why a payment was declined. One
 * module for both, so a text message and the screen never say it differently. Pure and free of
 * Node APIs: the portal bundles it.
 */
import type { Locale } from './customer.ts';
import { type CurrencyCode, minorUnits } from './money.ts';

/** `12345` fen → `"123.45"`; `-5` → `"-0.05"`; `1500` yen → `"1500"`. Exact: no binary float. */
export function toDecimal(amount: number, currency: string): `${number}` {
  const digits = minorUnits(currency as CurrencyCode) ?? 2;
  const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${abs.slice(-digits)}`;
  return `${amount < 0 ? '-' : ''}${whole}${fraction}` as `${number}`;
}

/**
 * Money for people, exact (Intl formats the decimal string, never a binary float), with the
 * narrow symbol so that every locale reads `¥1,234.56` for CNY and `$1,234.56` for USD.
 */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  // Intl reads a decimal string exactly; its type only admits number | bigint.
  return moneyFormat(locale, currency).format(toDecimal(amount, currency) as unknown as number);
}

/** One formatter per locale and currency: building one costs far more than formatting with it. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: Locale, currency: string): Intl.NumberFormat {
  const key = `${locale} ${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    moneyFormats.set(key, format);
  }
  return format;
}

const DECLINE_TEXT: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    insufficient_funds: '余额不足',
    processing_error: '支付处理异常',
    timeout: '支付渠道超时',
    issuer_unavailable: '发卡行暂不可用',
    card_expired: '银行卡已过期',
    account_closed: '账户已注销',
    method_revoked: '支付授权已解除',
    invalid_method: '支付方式无效',
    authentication_required: '银行要求您本人验证后才能扣款',
    authentication_failed: '银行验证未通过',
    authentication_abandoned: '未在规定时间内完成验证',
  },
  en: {
    insufficient_funds: 'insufficient funds',
    processing_error: 'a processing error',
    timeout: 'no answer from your bank',
    issuer_unavailable: 'your bank was unavailable',
    card_expired: 'the card has expired',
    account_closed: 'the account is closed',
    method_revoked: 'the authorisation was revoked',
    invalid_method: 'no valid payment method',
    authentication_required: 'your bank asks you to confirm the payment yourself',
    authentication_failed: 'your bank did not confirm the payment',
    authentication_abandoned: 'the confirmation was not finished in time',
  },
};

/** The decline codes with their own words (any other reads as a generic failure). */
export const DECLINE_CODES: readonly string[] = Object.keys(DECLINE_TEXT.en);

/** A decline in plain words; an unknown code reads as a generic failure, never as a code. */
export function declineText(code: string, locale: Locale): string {
  return DECLINE_TEXT[locale][code] ?? (locale === 'zh-CN' ? '支付未成功' : 'the payment did not go through');
}

/**
 * Why a notice was not sent (or not yet), as the notice log words it: each reason begins with
 * one of these texts (shared/application/send-notices.ts writes them; a provider's refusal
 * begins `rejected by the`). The portal shows the customer's own words for each
 * (`noticeReasonCode`), never the log's English.
 */
export const NOTICE_REASON = {
  stale: 'stale: the debit time has passed',
  no_customer: 'the customer no longer exists',
  email_off: 'the customer turned email notices off',
  no_email: 'no email address on file',
  bounced: 'suppressed: bounced',
  complained: 'suppressed: complained',
  sms_off: 'the customer turned SMS notices off',
  invalid_phone: 'invalid phone number',
  quiet_hours: 'deferred past quiet hours',
  daily_limit: 'daily SMS limit reached',
  unknown_outcome: 'outcome unknown',
  retrying: 'will retry after a fault',
  rejected: 'rejected by the',
} as const;

export type NoticeReasonCode = keyof typeof NOTICE_REASON | 'other';

/** The kind of a notice log's reason (`other` for one of no known kind). */
export function noticeReasonCode(reason: string): NoticeReasonCode {
  for (const [code, text] of Object.entries(NOTICE_REASON)) if (reason.startsWith(text)) return code as NoticeReasonCode;
  return 'other';
}
