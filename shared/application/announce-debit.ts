/**
 * announce-debit — a provider that must be told of each debit beforehand (WeChat Pay's 预扣费通知)
 * is told by repayflow, not only the customer. Input: the installment, the method it will be
 * debited from, the amount; output: the provider's window for it (stored on the installment),
 * or nothing when the provider needs no notice.
 *
 * Primary course: the first reminder (3 days before by default) announces the debit, which
 * opens WeChat's window two days later; the debit then finds it covered. A debit the window
 * does not cover (a plan made the day before, a retry after the window closed, a late fee that
 * raised the amount) announces it again and waits for the window. A stored window still to
 * come is never replaced (that would push it later). Sending twice (a commit that failed after
 * the notice) is harmless: the provider keeps the latest notice, and so do we.
 */
import { localDateOf } from '../domain/calendar.ts';
import { type PaymentMethod, providerOf } from '../domain/customer.ts';
import type { ProviderNotice } from '../domain/plan.ts';
import type { Deps } from './deps.ts';

/** Whether a stored notice lets the provider take `amount` on `day` (in the provider's zone) from that method. */
export function noticeCovers(notice: ProviderNotice | undefined, at: Date, amount: number, paymentMethodId: string): boolean {
  if (!notice || notice.amount < amount || !sameMethod(notice, paymentMethodId)) return false;
  const day = localDateOf(at, notice.timeZone);
  return notice.from <= day && day <= notice.until;
}

/** A stored notice whose window has not opened yet (and allows the amount): wait for it. */
export function noticeAhead(notice: ProviderNotice | undefined, at: Date, amount: number, paymentMethodId: string): boolean {
  return notice !== undefined && notice.amount >= amount && sameMethod(notice, paymentMethodId) && localDateOf(at, notice.timeZone) < notice.from;
}

/** A notice stored before notices named their method is taken as the method's. */
const sameMethod = (notice: ProviderNotice, paymentMethodId: string) => notice.paymentMethodId === undefined || notice.paymentMethodId === paymentMethodId;

/**
 * Tells the method's provider of a debit of `amount`; the new notice, or undefined when the
 * provider needs none or refused (its charge will then say why).
 */
export async function announceDebit(deps: Pick<Deps, 'gateway' | 'logger'>, method: PaymentMethod, amount: number, currency: string): Promise<ProviderNotice | undefined> {
  const window = await deps.gateway.preDebitNotice(providerOf(method), {
    token: method.token,
    ...(method.customerReference ? { customerReference: method.customerReference } : {}),
    amount,
    currency,
  });
  if (!window) return undefined;
  if ('refused' in window) {
    deps.logger.warn('provider refused the pre-debit notice', { paymentMethodId: method.paymentMethodId, code: window.refused });
    return undefined;
  }
  return { from: window.from, until: window.until, timeZone: window.timeZone, amount, paymentMethodId: method.paymentMethodId };
}
