/**
 * Money in the portal: integer minor units in, text out. No binary float ever touches an
 * amount: formatting hands Intl an exact decimal string, parsing reads digits.
 */
import type { Locale } from '../../shared/domain/customer.ts';
import { formatMoney as formatAmount, toDecimal } from '../../shared/domain/customer-text.ts';
import { type CurrencyCode, minorUnits } from '../../shared/domain/money.ts';

export interface Money {
  amount: number;
  currency: string;
}

/** ISO 4217 minor-unit digits of the currencies repayflow accepts (CNY 2, JPY 0). */
export function minorDigits(currency: string): number {
  return minorUnits(currency as CurrencyCode) ?? 2;
}

export { toDecimal };

/**
 * `{54392, CNY}` → `¥543.92` in either locale (narrow symbol, grouping for the locale): the same
 * function the SMS and email notices use (shared/domain/customer-text.ts).
 */
export function formatMoney(m: Money, locale: Locale): string {
  return formatAmount(m.amount, m.currency, locale);
}

/** Why a typed amount is not one. */
export type AmountProblem = 'empty' | 'notNumber' | 'tooManyDecimals';

/**
 * What a person typed (`1,234.5`, `¥ 88`, full-width `１２３．４５` from a Chinese keyboard) →
 * minor units, or why it is not an amount of that currency.
 */
export function readAmount(text: string, currency: string): { amount: number } | { problem: AmountProblem } {
  // NFKC turns full-width digits, point, comma and yen sign into their ASCII forms.
  const cleaned = text
    .normalize('NFKC')
    .replace(/[\s,，¥$€£₩元]/g, '')
    .replace(/。/g, '.');
  if (cleaned === '') return { problem: 'empty' };
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(cleaned) ?? /^()\.(\d+)$/.exec(cleaned);
  if (!match) return { problem: 'notNumber' };
  const fraction = match[2] ?? '';
  if (fraction.length > minorDigits(currency)) return { problem: 'tooManyDecimals' };
  const units = Number(`${match[1] || '0'}${fraction.padEnd(minorDigits(currency), '0')}`);
  return Number.isSafeInteger(units) ? { amount: units } : { problem: 'notNumber' };
}

/** `readAmount` without the reason: minor units, or undefined. */
export function parseAmount(text: string, currency: string): number | undefined {
  const read = readAmount(text, currency);
  return 'amount' in read ? read.amount : undefined;
}

/** The narrow symbol of a currency (`¥`, `$`), for the prefix of an amount field. */
export function currencySymbol(currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
}

/** A decimal rate string (`"0.1586"`) as a percentage (`15.86%`), by moving the point. */
export function formatRate(rate: string, locale: string): string {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate);
  if (!match) return rate;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const whole = `${match[1]}${fraction.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(2);
  const decimal = (rest ? `${whole}.${rest}` : whole) as `${number}`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(decimal)}%`;
}
