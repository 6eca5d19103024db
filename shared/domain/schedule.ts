/**
 * The repayment schedule of a plan: due dates and the split of principal and fee per period.
 */
import { addMonthsAnchored, daysBetween, type LocalDate, parseLocalDate } from './calendar.ts';
import { InvalidInputError } from './errors.ts';
import { assertPeriods, type FeeTerms, periodAmounts } from './fees.ts';
import { applyRate, parseRate, type RemainderPlacement } from './money.ts';

export type { FeeModel, FeeTerms } from './fees.ts';

export interface ScheduleInput {
  principal: number;
  periods: number;
  fee: FeeTerms;
  purchaseDate: LocalDate;
  /** Fixed day of month for every due date; defaults to the purchase day. */
  billingDay?: number;
  /** Which periods take the remainder of the even splits (default: the first ones). */
  remainderTo?: RemainderPlacement;
}

export interface ScheduledInstallment {
  period: number;
  dueDate: LocalDate;
  principal: number;
  /** The period's fee (`flat`) or interest (`annuity`, `equal_principal`). */
  fee: number;
}

/** With a billing day, the first due date is at least this many days after the purchase. */
export const MIN_FIRST_PERIOD_DAYS = 28;

/**
 * Due dates, each anchored to one day of month and clamped to the month's end (a 31 January
 * purchase is due 28/29 Feb, 31 Mar, 30 Apr, ...).
 *
 * Without `billingDay` the anchor is the purchase day and the first due date is one month after
 * the purchase. With `billingDay` (1–31) every due date falls on that day (clamped), the first
 * being the earliest such day at least MIN_FIRST_PERIOD_DAYS after the purchase, like a card
 * statement: the first period lasts 28 to 58 days, never less than four weeks.
 */
export function dueDates(purchaseDate: LocalDate, periods: number, billingDay?: number): LocalDate[] {
  assertPeriods(periods);
  const purchase = parseLocalDate(purchaseDate);
  if (billingDay === undefined) {
    return Array.from({ length: periods }, (_, i) => addMonthsAnchored(purchaseDate, i + 1, purchase.day));
  }
  if (!Number.isInteger(billingDay) || billingDay < 1 || billingDay > 31) {
    throw new InvalidInputError('SCHEDULE.INVALID_BILLING_DAY', `billingDay must be between 1 and 31, got ${billingDay}`);
  }
  // Start from the purchase month itself: a 1 Jan purchase with billing day 31 is due 31 Jan.
  let first = 0;
  while (daysBetween(purchaseDate, addMonthsAnchored(purchaseDate, first, billingDay)) < MIN_FIRST_PERIOD_DAYS) first += 1;
  return Array.from({ length: periods }, (_, i) => addMonthsAnchored(purchaseDate, first + i, billingDay));
}

/**
 * Total fee or interest over the plan. `flat` needs only the principal; the interest models
 * depend on the number of periods, so `periods` is required for them.
 */
export function totalFee(principal: number, fee: FeeTerms, periods?: number): number {
  if (fee.model === 'flat') return applyRate(principal, parseRate(fee.rate));
  if (periods === undefined) {
    throw new InvalidInputError('SCHEDULE.PERIODS_REQUIRED', `the total interest of a ${fee.model} plan depends on its periods`);
  }
  return periodAmounts(principal, periods, fee).reduce((total, p) => total + p.fee, 0);
}

/** The plan's installments, 1 to MAX_SCHEDULE_PERIODS of them. */
export function buildSchedule(input: ScheduleInput): ScheduledInstallment[] {
  const dates = dueDates(input.purchaseDate, input.periods, input.billingDay);
  const amounts = periodAmounts(input.principal, input.periods, input.fee, input.remainderTo);
  return dates.map((dueDate, i) => ({
    period: i + 1,
    dueDate,
    principal: amounts[i]!.principal,
    fee: amounts[i]!.fee,
  }));
}
