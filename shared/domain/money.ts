import { InvalidInputError } from './errors.ts';

/** ISO 4217 minor-unit exponents of the currencies repayflow accepts. */
const MINOR_UNITS = {
  CNY: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  SGD: 2,
  JPY: 0,
  KRW: 0,
} as const;

export type CurrencyCode = keyof typeof MINOR_UNITS;
export const CURRENCIES = Object.keys(MINOR_UNITS) as [CurrencyCode, ...CurrencyCode[]];

export function minorUnits(currency: CurrencyCode): number {
  return MINOR_UNITS[currency];
}

/** An amount in integer minor units (fen, cents, yen) of one currency. */
export interface Money {
  readonly amount: number;
  readonly currency: CurrencyCode;
}

export function money(amount: number, currency: CurrencyCode): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new InvalidInputError('MONEY.NOT_INTEGER', `amount must be an integer number of minor units, got ${amount}`);
  }
  if (!(currency in MINOR_UNITS)) {
    throw new InvalidInputError('MONEY.UNKNOWN_CURRENCY', `unsupported currency ${String(currency)}`);
  }
  return { amount, currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new InvalidInputError('MONEY.CURRENCY_MISMATCH', `cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function sum(items: readonly Money[], currency: CurrencyCode): Money {
  return items.reduce((acc, m) => add(acc, m), money(0, currency));
}

/** Where the remainder of an even split goes (a plan policy choice, see policy.ts). */
export const REMAINDER_PLACEMENTS = ['first_periods', 'last_period'] as const;
export type RemainderPlacement = (typeof REMAINDER_PLACEMENTS)[number];

/**
 * Splits a total into `parts` amounts that add up to it exactly. Every part gets the total / parts
 * rounded down; the remainder goes one minor unit at a time to the first parts
 * (`first_periods`), or all of it to the last part (`last_period`, as many Chinese banks do).
 */
export function split(total: number, parts: number, remainderTo: RemainderPlacement = 'first_periods'): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`cannot split ${total}`);
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`cannot split into ${parts} parts`);
  const base = Math.floor(total / parts);
  const remainder = total - base * parts;
  if (remainderTo === 'last_period') return Array.from({ length: parts }, (_, i) => base + (i === parts - 1 ? remainder : 0));
  return Array.from({ length: parts }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** A non-negative decimal rate held exactly as numerator / 10^scale. */
export interface Rate {
  readonly numerator: bigint;
  readonly denominator: bigint;
  /** The decimal string it was parsed from, kept for display and storage. */
  readonly text: string;
}

const RATE_PATTERN = /^(\d{1,6})(?:\.(\d{1,12}))?$/;

export function parseRate(text: string): Rate {
  const match = RATE_PATTERN.exec(text);
  if (!match) {
    throw new InvalidInputError('RATE.MALFORMED', `rate must be a decimal string such as "0.088", got ${JSON.stringify(text)}`);
  }
  const fraction = match[2] ?? '';
  return {
    numerator: BigInt(`${match[1]}${fraction}`),
    denominator: 10n ** BigInt(fraction.length),
    text,
  };
}

export function isValidRate(text: string): boolean {
  return RATE_PATTERN.test(text);
}

/** Rounds numerator / denominator half-up to an integer (both non-negative). */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideHalfUp takes a non-negative ratio');
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** amount × rate, rounded half-up to the minor unit. */
export function applyRate(amount: number, rate: Rate): number {
  return Number(divideHalfUp(BigInt(amount) * rate.numerator, rate.denominator));
}

/** Rounds numerator / denominator down to an integer (both non-negative). */
export function divideFloor(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideFloor takes a non-negative ratio');
  return numerator / denominator;
}

/** A bigint amount of minor units back to a number, refusing anything a number cannot hold exactly. */
export function toMinorUnits(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new InvalidInputError('MONEY.OUT_OF_RANGE', `${value} minor units is beyond the exact range of a number`);
  }
  return Number(value);
}

/** amount × numerator / denominator, rounded half-up to the minor unit (non-negative inputs). */
export function multiplyHalfUp(amount: number, numerator: bigint, denominator: bigint): number {
  return toMinorUnits(divideHalfUp(BigInt(amount) * numerator, denominator));
}

/** amount × numerator / denominator, rounded down: for caps, which must never be exceeded. */
export function multiplyFloor(amount: number, numerator: bigint, denominator: bigint): number {
  return toMinorUnits(divideFloor(BigInt(amount) * numerator, denominator));
}

export function isZeroRate(rate: Rate): boolean {
  return rate.numerator === 0n;
}

/**
 * numerator / denominator as a decimal string with exactly `places` decimals, rounded half-up
 * (ties away from zero), e.g. formatDecimal(1586n, 10000n, 4) === "0.1586".
 */
export function formatDecimal(numerator: bigint, denominator: bigint, places: number): string {
  if (denominator <= 0n) throw new RangeError('formatDecimal takes a positive denominator');
  if (!Number.isInteger(places) || places < 0) throw new RangeError(`cannot format to ${places} places`);
  const negative = numerator < 0n;
  const scaled = divideHalfUp((negative ? -numerator : numerator) * 10n ** BigInt(places), denominator);
  const digits = scaled.toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places);
  const sign = negative && scaled !== 0n ? '-' : '';
  return places === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}
