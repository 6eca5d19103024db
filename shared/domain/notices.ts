/**
 * Customer notices: which notice an event produces, its text in the customer's language, how
 * many SMS segments that text costs, and the rules of when an SMS may go (quiet hours, the
 * daily limit). Pure: no I/O.
 */
import { addDays, type LocalTime, localDateOf, localMinutesOf, minutesOf, zonedInstant } from './calendar.ts';
import type { Locale } from './customer.ts';
import { declineText, formatMoney } from './customer-text.ts';
import type { BillingEvent } from './events.ts';

/** Amounts and declines read the same in a notice and in the portal: one module for both. */
export { declineText, formatMoney };

export const NOTICE_KINDS = [
  'reminder',
  'repayment_succeeded',
  'repayment_failed',
  'overdue',
  'plan_paid_off',
  'deferral_confirmed',
  'plan_defaulted',
  'plan_cancelled',
  'support_reply',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_CHANNELS = ['sms', 'email'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
/**
 * `scheduled`: an SMS waiting for the end of quiet hours on the agenda; `pending`: being sent
 * now (or released after a provider fault, waiting for the retry); then one of the three
 * outcomes `sent`, `failed` (with reason) or `suppressed` (with reason).
 */
export const NOTICE_STATUSES = ['scheduled', 'pending', 'sent', 'failed', 'suppressed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

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
  /** When a `scheduled` notice is due to go (the end of the customer's quiet hours). */
  sendAt?: string;
  sentAt?: string;
}

/** Settings of the notice rules; the defaults are the product's. */
export interface NoticeSettings {
  /** Local hours in which no SMS goes out; an SMS due then waits until `end`. */
  quietHours: { start: LocalTime; end: LocalTime };
  /** SMS per phone number per local day, counting every SMS; only the kinds in `SMS_LIMITED_KINDS` are held back by it. */
  maxSmsPerDay: number;
}

export const DEFAULT_NOTICE_SETTINGS: NoticeSettings = {
  quietHours: { start: '21:00', end: '08:00' },
  maxSmsPerDay: 3,
};

/**
 * Kinds the daily SMS limit may hold back: reminders, overdue notices and failed debits (the
 * app shows each failure; the next one with news is texted). The others report money that
 * moved, the plan's end (paid off, defaulted, cancelled) or confirm the customer's own request:
 * they always go, and still count towards the day's total.
 */
export const SMS_LIMITED_KINDS: ReadonlySet<NoticeKind> = new Set<NoticeKind>(['reminder', 'overdue', 'repayment_failed']);

const KIND_OF: Record<BillingEvent['type'], NoticeKind | undefined> = {
  InstallmentReminderDue: 'reminder',
  RepaymentSucceeded: 'repayment_succeeded',
  RepaymentFailed: 'repayment_failed',
  InstallmentOverdue: 'overdue',
  PlanPaidOff: 'plan_paid_off',
  InstallmentDeferred: 'deferral_confirmed',
  PlanDefaulted: 'plan_defaulted',
  PlanCancelled: 'plan_cancelled',
  SupportCaseReplied: 'support_reply',
};

export function noticeKindOf(event: BillingEvent): NoticeKind | undefined {
  if (event.type === 'RepaymentFailed' && event.notify === false) return undefined;
  return KIND_OF[event.type];
}

/** The dedupe key of the notice an event produces on a channel. */
export function noticeKey(event: Pick<BillingEvent, 'id'>, channel: NoticeChannel): string {
  return `${event.id}:${channel}`;
}

// ---------------------------------------------------------------------------------------------
// Quiet hours

/**
 * When an SMS that is due at `at` may go: undefined when `at` is outside the customer's quiet
 * hours, otherwise the end of those quiet hours (08:00 local by default, the same day or the
 * next), computed on the customer's wall clock so daylight-saving changes are respected.
 */
export function quietHoursEnd(at: Date, timeZone: string, quiet: NoticeSettings['quietHours'] = DEFAULT_NOTICE_SETTINGS.quietHours): Date | undefined {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return undefined;
  const now = localMinutesOf(at, timeZone);
  const today = localDateOf(at, timeZone);
  const wraps = start > end;
  const inQuiet = wraps ? now >= start || now < end : now >= start && now < end;
  if (!inQuiet) return undefined;
  const endDate = wraps && now >= start ? addDays(today, 1) : today;
  return zonedInstant(endDate, quiet.end, timeZone);
}

// ---------------------------------------------------------------------------------------------
// SMS length

/** GSM 03.38 default alphabet (one septet each) and its extension table (two septets each). */
const GSM7_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/**
 * How many SMS segments `text` costs: one of 160 GSM-7 septets or 70 UCS-2 code units, or
 * several of 153 / 67 (the rest of each is the concatenation header). Packing is exact: an
 * extension character (two septets) or a surrogate pair is never split across segments.
 */
export function smsSegments(text: string): number {
  if (text.length === 0) return 1;
  const gsm = smsEncoding(text) === 'GSM-7';
  const units = Array.from(text, (ch) => (gsm ? (GSM7_EXTENSION.has(ch) ? 2 : 1) : ch.length));
  const total = units.reduce((a, b) => a + b, 0);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > part) {
      segments += 1;
      used = 0;
    }
    used += u;
  }
  return segments;
}

/**
 * The SMS signature as written to a number. Mainland Chinese carriers require the `【…】` form
 * on +86 numbers; elsewhere its ASCII form `[…] ` keeps a Latin-script text in GSM-7, where a
 * segment holds 160 characters instead of 70.
 */
export function smsSignatureFor(signature: string, phone: string): string {
  if (phone.startsWith('+86') || !/[【】]/.test(signature)) return signature;
  const ascii = signature.replace(/【/g, '[').replace(/】/g, ']');
  return ascii.endsWith(']') ? `${ascii} ` : ascii;
}

/** Product names shorter than this are never cut to save a segment: the customer must recognise the order. */
const MIN_PRODUCT_CHARS = 6;

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes
const CONTROL_BIDI_ZERO_WIDTH = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/gu;
/** A zero-width joiner is kept only inside an emoji sequence (👨‍👩‍👧), where it is part of the picture. */
const STRAY_JOINER = /(?<!\p{Extended_Pictographic}\ufe0f?)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;
/** Links: a scheme or `www.`, or a host name on a common top-level domain (with or without a path). */
const URL_LIKE =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|info|biz|io|cc|co|me|ly|top|xyz|vip|shop|site|app|link|club|online|hk|tw|us|uk)\b(?:\/\S*)?/giu;
/** Phone numbers: `+` and digits, or seven or more digits in a row (hyphens allowed). */
const PHONE_LIKE = /\+\d[\d\s-]{5,}\d|\d(?:-?\d){6,}/gu;
/** Sender tags (`【中国银行】`) and our own signature's brackets: a name must never look like a sender. */
const TAG_BRACKETS = /[【】〖〗［］[\]]/gu;

/**
 * A name (a product's, a customer's) as it may appear in a notice: control, bidi and zero-width
 * characters removed, no link, no phone number, no sender-tag brackets, whitespace collapsed.
 * Empty when nothing is left, and then the notice goes without it.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFC')
    .replace(CONTROL_BIDI_ZERO_WIDTH, ' ')
    .replace(STRAY_JOINER, ' ')
    .replace(URL_LIKE, ' ')
    .replace(PHONE_LIKE, ' ')
    .replace(TAG_BRACKETS, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** User-perceived characters (an emoji with its modifiers is one), so a cut never splits one. */
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(GRAPHEMES.segment(text), (s) => s.segment);
}

/**
 * The SMS for an event: signature + text, in one segment where the text allows. The product
 * name, normalised, is the one part of free length: it is shortened (with an ellipsis, whole
 * characters only) before a text would spill into a second segment, and left out when even
 * its first few characters do not fit. Only a text that is too long without any name goes as
 * several segments.
 */
export function composeSms(event: BillingEvent, locale: Locale, signature: string): string {
  const name = normaliseName(event.productName);
  const full = `${signature}${renderNotice(event, locale, { product: name }).body}`;
  if (smsSegments(full) <= 1) return full;
  const chars = graphemes(name);
  const ellipsis = smsEncoding(full) === 'GSM-7' ? '...' : '…';
  for (let keep = chars.length - 1; keep >= MIN_PRODUCT_CHARS; keep--) {
    const product = `${chars.slice(0, keep).join('').trimEnd()}${ellipsis}`;
    const text = `${signature}${renderNotice(event, locale, { product }).body}`;
    if (smsSegments(text) <= 1) return text;
  }
  return `${signature}${renderNotice(event, locale, { product: '' }).body}`;
}

// ---------------------------------------------------------------------------------------------
// Text

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

/**
 * The text of the notice an event produces, in the customer's language, with the product name
 * normalised (normaliseName). `product` replaces it (a shortened one, to keep an SMS in one
 * segment; empty: the notice speaks of "your plan" instead).
 */
export function renderNotice(event: BillingEvent, locale: Locale, options: { product?: string } = {}): NoticeText {
  const product = options.product ?? normaliseName(event.productName);
  return locale === 'zh-CN' ? renderZh(event, product) : renderEn(event, product);
}

function renderZh(event: BillingEvent, name: string): NoticeText {
  /** `「Mi 15 Pro」第1期` / `「Mi 15 Pro」分期`, or without a name `您的分期第1期` / `您的分期`. */
  const item = name ? `「${name}」` : '您的分期';
  const product = name ? `「${name}」` : '您的';
  const m = (x: { amount: number; currency: string }) => formatMoney(x.amount, x.currency, 'zh-CN');
  switch (event.type) {
    case 'InstallmentReminderDue':
      return {
        subject: '还款提醒',
        body: `${item}第${event.period}期${m(event.amount)}于${event.dueDate}（${event.daysBefore === 1 ? '明天' : `${event.daysBefore}天后`}）自动扣款，请保持余额充足。`,
      };
    case 'RepaymentSucceeded': {
      const rest = event.nextDueDate ? `剩余${event.periodsLeft}期，下次还款日${event.nextDueDate}。` : '已全部还清。';
      return { subject: '还款成功', body: `${item}第${event.periods.join('、')}期还款${m(event.amount)}成功，${rest}` };
    }
    case 'RepaymentFailed': {
      const reason = declineText(event.failureCode, 'zh-CN');
      const next = event.nextAttemptAt ? `${localDateTime(event.nextAttemptAt, event.timeZone)}将重试。` : '请更换支付方式后在App内还款。';
      return { subject: '扣款失败', body: `${item}第${event.period}期${m(event.amount)}扣款失败：${reason}，${next}` };
    }
    case 'InstallmentOverdue':
      return { subject: '逾期提醒', body: `${item}第${event.period}期已逾期${event.daysOverdue}天，应还${m(event.amountDue)}，请尽快还款以免滞纳金增加。` };
    case 'PlanPaidOff':
      return { subject: '分期已结清', body: `${product}分期已全部还清，共${m(event.totalPaid)}。感谢您的信任！` };
    case 'InstallmentDeferred':
      return { subject: '延期成功', body: `${item}第${event.period}期还款日已延至${event.newDueDate}，当天自动扣款。` };
    case 'PlanDefaulted': {
      const due = event.amountDue ? `剩余${m(event.amountDue)}已全部到期，` : '';
      return { subject: '分期违约', body: `${product}分期已违约，${due}自动扣款已停止，请尽快还款或联系客服。` };
    }
    case 'PlanCancelled': {
      const refund = event.refundTotal.amount > 0 ? `已还${m(event.refundTotal)}将退回。` : '';
      return { subject: '分期已取消', body: `${product}订单已退货，分期已取消，不再扣款。${refund}` };
    }
    case 'SupportCaseReplied': {
      const about = name ? `关于${item}的` : '您的';
      if (event.decision === 'declined') return { subject: '延期申请未获批准', body: `${about}延期申请未获批准，原因请在App内「我的客服」查看。` };
      return { subject: '客服回复', body: `客服已回复${about}问题，请在App内「我的客服」查看。` };
    }
  }
}

function renderEn(event: BillingEvent, name: string): NoticeText {
  const product = name || 'your plan';
  const forProduct = name ? ` for ${name}` : '';
  const m = (x: { amount: number; currency: string }) => formatMoney(x.amount, x.currency, 'en');
  switch (event.type) {
    case 'InstallmentReminderDue':
      return {
        subject: 'Repayment reminder',
        body: `Installment ${event.period} of ${product}, ${m(event.amount)}, will be debited ${event.daysBefore === 1 ? 'tomorrow' : `in ${event.daysBefore} days`} (${event.dueDate}). Please keep enough funds in your account.`,
      };
    case 'RepaymentSucceeded': {
      const periods = event.periods.length === 1 ? `installment ${event.periods[0]}` : `installments ${event.periods.join(', ')}`;
      const rest = event.nextDueDate
        ? `${event.periodsLeft} ${event.periodsLeft === 1 ? 'installment' : 'installments'} left, next due ${event.nextDueDate}.`
        : 'Nothing left to pay.';
      return { subject: 'Payment received', body: `Payment received: ${m(event.amount)} for ${product}, ${periods}. ${rest}` };
    }
    case 'RepaymentFailed': {
      const reason = declineText(event.failureCode, 'en');
      const next = event.nextAttemptAt ? `We will try again on ${localDateTime(event.nextAttemptAt, event.timeZone)}.` : 'Please add a payment method and repay in the app.';
      return { subject: 'Payment failed', body: `Payment of ${m(event.amount)} for ${product}, installment ${event.period}, failed: ${reason}. ${next}` };
    }
    case 'InstallmentOverdue':
      return {
        subject: 'Payment overdue',
        body: `Installment ${event.period} of ${product} is ${event.daysOverdue} ${event.daysOverdue === 1 ? 'day' : 'days'} overdue: ${m(event.amountDue)} due. Please repay now to stop late fees growing.`,
      };
    case 'PlanPaidOff':
      return { subject: 'Plan paid off', body: `Your plan${forProduct} is paid off: ${m(event.totalPaid)} in total. Thank you!` };
    case 'InstallmentDeferred':
      return { subject: 'Installment deferred', body: `Installment ${event.period} of ${product} is now due on ${event.newDueDate}; it will be debited that day.` };
    case 'PlanDefaulted': {
      const due = event.amountDue ? ` All ${m(event.amountDue)} left is now due.` : '';
      return { subject: 'Plan in default', body: `Your plan${forProduct} is in default and automatic debits have stopped.${due} Please repay or contact us.` };
    }
    case 'PlanCancelled': {
      const refund = event.refundTotal.amount > 0 ? ` ${m(event.refundTotal)} you paid will be refunded.` : '';
      return { subject: 'Plan cancelled', body: `Your plan${forProduct} is cancelled (order returned): nothing more will be debited.${refund}` };
    }
    case 'SupportCaseReplied':
      if (event.decision === 'declined')
        return { subject: 'Extension request declined', body: `Your extension request${forProduct} was declined. See why under Support in the app.` };
      return { subject: 'Support replied', body: `Support replied to your request${forProduct}. Read it under Support in the app.` };
  }
}
