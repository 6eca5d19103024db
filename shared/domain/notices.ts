/**
 * Customer notices: which notice an event produces, and its text in the customer's language.
 */
import { localDateOf, localMinutesOf } from './calendar.ts';
import type { Locale } from './customer.ts';
import type { BillingEvent } from './events.ts';
import { minorUnits, type CurrencyCode } from './money.ts';

export type NoticeKind = 'reminder' | 'repayment_succeeded' | 'repayment_failed' | 'overdue' | 'plan_paid_off' | 'deferral_confirmed';
export type NoticeChannel = 'sms' | 'email';
export type NoticeStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

export interface NoticeRecord {
  /** `<eventId>:<channel>`: a notice is sent at most once whatever is redelivered. */
  dedupeKey: string;
  customerId: string;
  planId: string;
  kind: NoticeKind;
  channel: NoticeChannel;
  /** Masked recipient (the log never holds a full phone number or address). */
  to: string;
  body: string;
  status: NoticeStatus;
  reason?: string;
  createdAt: string;
  sentAt?: string;
}

const KIND_OF: Record<BillingEvent['type'], NoticeKind | undefined> = {
  InstallmentReminderDue: 'reminder',
  RepaymentSucceeded: 'repayment_succeeded',
  RepaymentFailed: 'repayment_failed',
  InstallmentOverdue: 'overdue',
  PlanPaidOff: 'plan_paid_off',
  InstallmentDeferred: 'deferral_confirmed',
  PlanDefaulted: undefined,
};

export function noticeKindOf(event: BillingEvent): NoticeKind | undefined {
  return KIND_OF[event.type];
}

/** Money for people: `¥1,234.56` in zh-CN, `CN¥1,234.56` in en; exact, no binary floats. */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  const digits = minorUnits(currency as CurrencyCode);
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const scale = 10 ** digits;
  const decimal = digits === 0 ? String(abs) : `${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
  // Intl formats a decimal string exactly (no float conversion).
  return format.format(`${negative ? '-' : ''}${decimal}` as unknown as number);
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
  },
  en: {
    insufficient_funds: 'insufficient funds',
    processing_error: 'a processing error',
    timeout: 'the payment provider timed out',
    issuer_unavailable: 'the card issuer was unavailable',
    card_expired: 'the card has expired',
    account_closed: 'the account is closed',
    method_revoked: 'the payment authorisation was revoked',
    invalid_method: 'the payment method is invalid',
  },
};

function localDateTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  const minutes = localMinutesOf(at, timeZone);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${localDateOf(at, timeZone)} ${hh}:${mm}`;
}

export interface NoticeText {
  subject: string;
  body: string;
}

/** The text of the notice an event produces, in the customer's language. */
export function renderNotice(event: BillingEvent, locale: Locale): NoticeText {
  const zh = locale === 'zh-CN';
  const m = (x: { amount: number; currency: string }) => formatMoney(x.amount, x.currency, locale);
  const product = event.productName;
  switch (event.type) {
    case 'InstallmentReminderDue':
      return zh
        ? { subject: '还款提醒', body: `您的「${product}」第${event.period}期账单${m(event.amount)}将于${event.dueDate}自动扣款，请确保账户余额充足。` }
        : { subject: 'Repayment reminder', body: `Installment ${event.period} of ${product}, ${m(event.amount)}, will be debited on ${event.dueDate}. Please keep enough funds available.` };
    case 'RepaymentSucceeded': {
      const rest = event.nextDueDate
        ? zh
          ? `剩余${event.periodsLeft}期，下次还款日${event.nextDueDate}。`
          : `${event.periodsLeft} left; next due ${event.nextDueDate}.`
        : zh
          ? '已全部还清。'
          : 'Nothing left to pay.';
      return zh
        ? { subject: '还款成功', body: `「${product}」第${event.periods.join('、')}期还款${m(event.amount)}成功。${rest}` }
        : { subject: 'Repayment received', body: `We received ${m(event.amount)} for ${product}, installment ${event.periods.join(', ')}. ${rest}` };
    }
    case 'RepaymentFailed': {
      const reason = DECLINE_TEXT[locale][event.failureCode] ?? event.failureCode;
      const next = event.nextAttemptAt
        ? zh
          ? `我们将于${localDateTime(event.nextAttemptAt, event.timeZone)}再次扣款。`
          : `We will try again on ${localDateTime(event.nextAttemptAt, event.timeZone)}.`
        : zh
          ? '请更换或重新绑定支付方式后手动还款。'
          : 'Please bind another payment method and repay in the app.';
      return zh
        ? { subject: '扣款失败', body: `「${product}」第${event.period}期扣款${m(event.amount)}失败：${reason}。${next}` }
        : { subject: 'Payment failed', body: `Installment ${event.period} of ${product}, ${m(event.amount)}, failed: ${reason}. ${next}` };
    }
    case 'InstallmentOverdue':
      return zh
        ? { subject: '逾期提醒', body: `「${product}」第${event.period}期已逾期${event.daysOverdue}天，应还${m(event.amountDue)}，请尽快还款以免产生更多滞纳金。` }
        : { subject: 'Payment overdue', body: `Installment ${event.period} of ${product} is ${event.daysOverdue} day(s) overdue: ${m(event.amountDue)} due. Please repay to avoid further late fees.` };
    case 'PlanPaidOff':
      return zh
        ? { subject: '已结清', body: `「${product}」分期已全部还清，共${m(event.totalPaid)}。感谢您的信任！` }
        : { subject: 'Plan paid off', body: `Your plan for ${product} is paid off: ${m(event.totalPaid)} in total. Thank you!` };
    case 'InstallmentDeferred':
      return zh
        ? { subject: '延期成功', body: `「${product}」第${event.period}期还款日已延期至${event.newDueDate}。` }
        : { subject: 'Installment deferred', body: `Installment ${event.period} of ${product} is now due on ${event.newDueDate}.` };
    case 'PlanDefaulted':
      return zh
        ? { subject: '分期违约', body: `「${product}」分期已违约，自动扣款已停止，请联系客服。` }
        : { subject: 'Plan in default', body: `Your plan for ${product} is in default and automatic debits have stopped. Please contact us.` };
  }
}
