/**
 * Late fees of one overdue installment. They accrue once per local day on the unpaid principal
 * and fee, and are capped twice: by a share of the installment and by an annualised cost.
 */
import { addDays, daysBetween, type LocalDate } from './calendar.ts';
import { InvalidInputError } from './errors.ts';
import { multiplyFloor, multiplyHalfUp, parseRate } from './money.ts';
import type { Policy } from './policy.ts';

export type LateFeePolicy = Pick<Policy, 'lateFeeDailyRate' | 'lateFeeCap' | 'aprCap'>;

/** The annualised cap counts every year as 365 days, which errs on the customer's side in leap years. */
export const DAYS_PER_YEAR = 365n;

export interface LateFeeAccrualInput {
  /** Unpaid principal and fee of the installment (minor units); the daily fee accrues on it. */
  base: number;
  /** Scheduled principal + fee of the installment; `lateFeeCap` is a share of it. */
  installmentAmount: number;
  /** Late fee accrued so far. */
  accrued: number;
  /** Days to accrue now, from `lateFeeDaysToAccrue`. */
  days: number;
  /** Days overdue once these are accrued (the first overdue day is day 1), from `daysOverdue`. */
  daysOverdue: number;
  /**
   * The sum, over the days already accrued, of each day's base (minor-unit days, a decimal
   * string): the APR cap is a running total of what each day allowed, so a partial payment
   * lowers only the days after it. Absent: `base` on every earlier day.
   */
  baseDaysBefore?: string;
  /** The plan's own APR (fees included): the APR cap counts it, so late fees get only what is left. */
  planApr?: string;
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError('LATE_FEE.INVALID_INPUT', `${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * The most late fee the installment may carry after `daysOverdue` days: the lower of
 * installmentAmount × lateFeeCap and Σ(each overdue day's base) × (aprCap − planApr) / 365,
 * each rounded down so the cap itself is never exceeded.
 */
export function lateFeeLimit(
  input: Pick<LateFeeAccrualInput, 'base' | 'installmentAmount' | 'daysOverdue' | 'baseDaysBefore' | 'planApr'> & { days?: number },
  policy: LateFeePolicy,
): number {
  const share = parseRate(policy.lateFeeCap);
  const shareCap = multiplyFloor(input.installmentAmount, share.numerator, share.denominator);
  // What the cap leaves after the plan's own cost: aprCap − apr a year, never below nothing.
  const cap = parseRate(policy.aprCap);
  const own = parseRate(input.planApr ?? '0');
  const headroom = cap.numerator * own.denominator - own.numerator * cap.denominator;
  if (headroom <= 0n) return 0;
  const aprCap = floorDiv(baseDays(input) * headroom, cap.denominator * own.denominator * DAYS_PER_YEAR);
  return Math.min(shareCap, aprCap);
}

/** Σ of each overdue day's base once `days` more days are accrued (minor-unit days). */
export function baseDays(input: Pick<LateFeeAccrualInput, 'base' | 'daysOverdue' | 'baseDaysBefore'> & { days?: number }): bigint {
  const days = input.days ?? 0;
  const before = input.baseDaysBefore === undefined ? BigInt(input.base) * BigInt(input.daysOverdue - days) : BigInt(input.baseDaysBefore);
  return before + BigInt(input.base) * BigInt(days);
}

function floorDiv(a: bigint, b: bigint): number {
  const q = a / b;
  return Number(q > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : q);
}

/**
 * The accrued late fee after `days` more days: each day adds base × lateFeeDailyRate rounded
 * half-up (so catching up three days at once equals three daily sweeps), and the total stays
 * within `lateFeeLimit`. A fee already charged is never taken back here, so the result is at
 * least `accrued` even if a partial payment has since lowered the limit.
 */
export function accrueLateFee(input: LateFeeAccrualInput, policy: LateFeePolicy): number {
  for (const key of ['base', 'installmentAmount', 'accrued', 'days', 'daysOverdue'] as const) assertCount(key, input[key]);
  if (input.days > input.daysOverdue) {
    throw new InvalidInputError('LATE_FEE.INVALID_INPUT', `cannot accrue ${input.days} days of ${input.daysOverdue} days overdue`);
  }
  const daily = parseRate(policy.lateFeeDailyRate);
  const perDay = multiplyHalfUp(input.base, daily.numerator, daily.denominator);
  const uncapped = input.accrued + perDay * input.days;
  return Math.max(input.accrued, Math.min(uncapped, lateFeeLimit(input, policy)));
}

/** `accrueLateFee`, and the running Σ of the days' bases to store for the next accrual. */
export function accrueLateFeeDays(input: LateFeeAccrualInput, policy: LateFeePolicy): { lateFee: number; baseDays: string } {
  return { lateFee: accrueLateFee(input, policy), baseDays: baseDays(input).toString() };
}

/**
 * The date through which nothing has accrued yet: the last day of grace. Store it as the
 * installment's "accrued through" date when it turns overdue.
 */
export function lateFeeAccrualStart(dueDate: LocalDate, graceDays: number): LocalDate {
  return addDays(dueDate, graceDays);
}

/** Days overdue on local date `today`: 1 on the first day after the grace period, 0 before. */
export function daysOverdue(dueDate: LocalDate, graceDays: number, today: LocalDate): number {
  return Math.max(0, daysBetween(lateFeeAccrualStart(dueDate, graceDays), today));
}

/**
 * Local days to accrue on `today` when fees have been accrued through `lastAccruedDate`
 * (inclusive). A second sweep on the same day gets 0, a sweep after two missed days gets 3;
 * the caller then records `today` as the new accrued-through date.
 */
export function lateFeeDaysToAccrue(lastAccruedDate: LocalDate, today: LocalDate): number {
  return Math.max(0, daysBetween(lastAccruedDate, today));
}
