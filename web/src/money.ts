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

/**
 * What a person typed (`1,234.5`, `¥ 88`) → minor units, or undefined when it is not an
 * amount of that currency (too many decimals, letters, nothing).
 */
export function parseAmount(text: string, currency: string): number | undefined {
  const cleaned = text.replace(/[\s,¥$€£₩]/g, '');
  const digits = minorDigits(currency);
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const units = Number(`${match[1]}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(units) ? units : undefined;
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
