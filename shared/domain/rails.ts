/**
 * Payment rails have windows: WeChat Pay debits only between 07:00 and 22:00 local time, and
 * only after the customer was notified on an earlier day. A debit outside its window waits
 * for the next opening.
 */
import { addDays, type LocalDate, localDateOf, localMinutesOf, minutesOf, zonedInstant } from './calendar.ts';
import type { PaymentMethodType } from './customer.ts';

interface RailRule {
  opens: string;
  closes: string;
  needsNoticeDayBefore: boolean;
}

const RULES: Partial<Record<PaymentMethodType, RailRule>> = {
  wechat_pay: { opens: '07:00', closes: '22:00', needsNoticeDayBefore: true },
};

export type RailCheck = { open: true } | { open: false; reason: 'outside_window' | 'needs_pre_debit_notice'; retryAt: Date };

export function checkRail(type: PaymentMethodType, now: Date, timeZone: string, preDebitNoticeOn: LocalDate | undefined): RailCheck {
  const rule = RULES[type];
  if (!rule) return { open: true };
  const today = localDateOf(now, timeZone);
  if (rule.needsNoticeDayBefore && (preDebitNoticeOn === undefined || preDebitNoticeOn >= today)) {
    // The notice goes out now; the debit may run from the next window opening on a later day.
    return { open: false, reason: 'needs_pre_debit_notice', retryAt: zonedInstant(addDays(today, 1), rule.opens, timeZone) };
  }
  const minutes = localMinutesOf(now, timeZone);
  if (minutes < minutesOf(rule.opens)) return { open: false, reason: 'outside_window', retryAt: zonedInstant(today, rule.opens, timeZone) };
  if (minutes >= minutesOf(rule.closes)) {
    return { open: false, reason: 'outside_window', retryAt: zonedInstant(addDays(today, 1), rule.opens, timeZone) };
  }
  return { open: true };
}
