/**
 * The repayment schedule of a plan: due dates and the split of principal and fee per period.
 */
import { addMonthsAnchored, parseLocalDate, type LocalDate } from './calendar.ts';
import { applyRate, parseRate, split } from './money.ts';

export type FeeTerms = { model: 'flat'; rate: string };

export interface ScheduleInput {
  principal: number;
  periods: number;
  fee: FeeTerms;
  purchaseDate: LocalDate;
  /** Fixed day of month for every due date; defaults to the purchase day. */
  billingDay?: number;
}

export interface ScheduledInstallment {
  period: number;
  dueDate: LocalDate;
  principal: number;
  fee: number;
}

/**
 * Due dates: the first one month after the purchase (or on the next `billingDay` at least a
 * month away), each later one anchored to the original day and clamped to the month's end.
 */
export function dueDates(purchaseDate: LocalDate, periods: number, billingDay?: number): LocalDate[] {
  const anchor = billingDay ?? parseLocalDate(purchaseDate).day;
  return Array.from({ length: periods }, (_, i) => addMonthsAnchored(purchaseDate, i + 1, anchor));
}

export function totalFee(principal: number, fee: FeeTerms): number {
  return applyRate(principal, parseRate(fee.rate));
}

export function buildSchedule(input: ScheduleInput): ScheduledInstallment[] {
  const dates = dueDates(input.purchaseDate, input.periods, input.billingDay);
  const principals = split(input.principal, input.periods);
  const fees = split(totalFee(input.principal, input.fee), input.periods);
  return dates.map((dueDate, i) => ({
    period: i + 1,
    dueDate,
    principal: principals[i]!,
    fee: fees[i]!,
  }));
}
