import type { LocalDate } from './calendar.ts';
import type { PhoneRules } from './profile.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const PAYMENT_METHOD_TYPES = ['bank_card', 'alipay', 'wechat_pay'] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

/** Who holds the money: a real provider, or the bundled simulation (local stack, tests). */
export const PROVIDERS = ['simulated', 'stripe', 'alipay', 'wechat_pay'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface Customer {
  customerId: string;
  name: string;
  /** E.164, e.g. +8613800138000. */
  phone: string;
  email?: string;
  locale: Locale;
  timeZone: string;
  /**
   * The country whose currency the customer's plans are in (ISO 3166-1 alpha-2); the country of
   * `phone` when absent (see profile.ts).
   */
  market?: string;
  notifications: { sms: boolean; email: boolean };
  /** Days before a due date on which to remind this customer; the plan policy's when absent. */
  reminderDaysBefore?: number[];
  /** The address the email provider reported as bouncing or complaining: no email goes to it. */
  emailSuppression?: EmailSuppression;
  createdAt: string;
  /** Set when the customer's personal data was erased: the profile is then a tombstone of pseudonyms. */
  erasedAt?: string;
}

/** Why email to an address stopped: a permanent bounce, or the recipient marked it as spam. */
export const EMAIL_SUPPRESSION_REASONS = ['bounced', 'complained'] as const;
export type EmailSuppressionReason = (typeof EMAIL_SUPPRESSION_REASONS)[number];

export interface EmailSuppression {
  address: string;
  reason: EmailSuppressionReason;
  at: string;
}

/**
 * Why no email may go to the customer's address, if none may: the suppression holds only for
 * the address it was reported for (a new address on the profile gets email again).
 */
export function emailSuppressionOf(customer: Pick<Customer, 'email' | 'emailSuppression'>): EmailSuppressionReason | undefined {
  const s = customer.emailSuppression;
  return s && customer.email !== undefined && s.address.toLowerCase() === customer.email.toLowerCase() ? s.reason : undefined;
}

/**
 * The record that a customer's personal data was erased: who asked, when, and how much was
 * erased or kept, with no personal data (the customer id is a pseudonym the merchant issued).
 */
export interface Erasure {
  customerId: string;
  erasedAt: string;
  /** The caller's subject (`sub`) and whether they acted as the merchant (`admin`) or as the customer. */
  erasedBy: { sub: string; role: 'admin' | 'customer' };
  paymentMethodsReleased: number;
  noticesErased: number;
  /** Support cases whose subject and messages were erased (their state and links are kept). */
  supportCasesErased: number;
  /** Repayment records kept (financial records) with their payment method's display removed. */
  repaymentRecordsKept: number;
  plansKept: number;
}

/** What an erased profile holds instead of a name, a phone number and a display. */
export const ERASED = 'erased';

/** Only the provider's token and a masked display are kept, never a card or account number. */
export interface PaymentMethod {
  customerId: string;
  paymentMethodId: string;
  type: PaymentMethodType;
  /** The provider that issued `token` (absent on methods bound before providers: the simulation). */
  provider?: ProviderName;
  /** The provider's reference of the method (Stripe PaymentMethod, Alipay agreement, WeChat contract). */
  token: string;
  /** The provider's reference of the customer the method belongs to (Stripe Customer). */
  customerReference?: string;
  /** Masked, as the provider reports it (`Visa ****4242`). */
  display: string;
  isDefault: boolean;
  /** Lower is tried first among fallbacks. */
  priority: number;
  createdAt: string;
}

/** Methods in the order a debit tries them: the preferred one, then the default, then by priority. */
export function debitOrder(methods: readonly PaymentMethod[], preferredId?: string): PaymentMethod[] {
  return [...methods].sort((a, b) => rank(a) - rank(b) || a.priority - b.priority || a.createdAt.localeCompare(b.createdAt));
  function rank(m: PaymentMethod): number {
    if (m.paymentMethodId === preferredId) return 0;
    return m.isDefault ? 1 : 2;
  }
}

/**
 * The currencies a method can be debited in: Alipay agreement deduction and WeChat Pay papay
 * settle mainland wallets in CNY only; a card is charged in the plan's currency and its issuer
 * converts, so any currency repayflow lends in.
 */
export function methodCurrencies(type: PaymentMethodType): readonly string[] | 'any' {
  return type === 'bank_card' ? 'any' : ['CNY'];
}

export function acceptsCurrency(method: Pick<PaymentMethod, 'type'>, currency: string): boolean {
  const accepted = methodCurrencies(method.type);
  return accepted === 'any' || accepted.includes(currency);
}

/** A number SMS can be sent to: E.164 (`+` and country code) and a mobile number of its country. */
export function isSendablePhone(phone: string, rules: Pick<PhoneRules, 'isMobileNumber'>): boolean {
  return rules.isMobileNumber(phone);
}

/** `+8613800138000` → `+86138****8000`; for logs and non-admin views. */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return '****';
  return `${phone.slice(0, -8)}****${phone.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** The provider a method's charges go to. */
export function providerOf(method: Pick<PaymentMethod, 'provider'>): ProviderName {
  return method.provider ?? 'simulated';
}

export type { LocalDate };
