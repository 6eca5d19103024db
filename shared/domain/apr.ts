/**
 * Cost disclosure: the annualised percentage rate of a plan, by one of two methods frozen into
 * the plan (`policy.aprMethod`):
 *
 * * `us_reg_z` — US Regulation Z Appendix J, actuarial method: the unit period is a month, the
 *   APR is the unit-period rate × 12, and an odd first period (a `billingDay` plan's first period
 *   of 28–58 days) is whole months counted back from the first due date plus a fractional unit
 *   period of the remaining days / 30, earning simple interest (the (1 + f·i) of the general
 *   equation). A plan whose first period is exactly one month gets the plain IRR × 12. Found by
 *   bisection on exact rationals, so the disclosed digits (4 decimals: a percentage to two
 *   places) are the true rounding of the rate, not of a float approximation.
 * * `eu_aprc` — the EU Consumer Credit Directive 2008/48/EC, Annex I: the effective annual rate X
 *   solving Σ amount_k·(1 + X)^(−days_k / 365) = principal over the actual days from the
 *   purchase to each due date, disclosed to one decimal of a percentage (3 decimals), rounded
 *   half-up.
 */
import { addMonthsAnchored, daysBetween, type LocalDate, parseLocalDate } from './calendar.ts';
import { InvalidInputError } from './errors.ts';
import { formatDecimal } from './money.ts';

export const APR_METHODS = ['us_reg_z', 'eu_aprc'] as const;
export type AprMethod = (typeof APR_METHODS)[number];

export const APR_DECIMALS = 4;

const SCALE = 10n ** BigInt(APR_DECIMALS);
/** Denominator of the monthly rate at a half-step of the APR: m / (2 · 10^4 · 12). */
const HALF_STEP = 2n * SCALE * 12n;

/**
 * Where the first payment lies in Appendix J's terms: `fullMonths` whole unit periods plus
 * `oddDays` days (the fractional unit period is oddDays / 30). Payment k lies k − 1 months later.
 */
export interface FirstPeriod {
  fullMonths: number;
  oddDays: number;
}

const REGULAR_FIRST_PERIOD: FirstPeriod = { fullMonths: 1, oddDays: 0 };
const DAYS_PER_UNIT_PERIOD = 30n;

/**
 * Appendix J (b)(5): whole months are counted back from the first due date (on the plan's anchor
 * day, clamped to the month's end) as far as they reach without passing the purchase date; the
 * days left between the purchase and that date are the odd days.
 */
export function firstPeriod(purchaseDate: LocalDate, firstDueDate: LocalDate, anchorDay: number): FirstPeriod {
  if (daysBetween(purchaseDate, firstDueDate) <= 0) {
    throw new InvalidInputError('APR.INVALID_FIRST_PERIOD', `the first due date ${firstDueDate} must come after the purchase ${purchaseDate}`);
  }
  let fullMonths = 0;
  while (addMonthsAnchored(firstDueDate, -(fullMonths + 1), anchorDay) >= purchaseDate) fullMonths += 1;
  return { fullMonths, oddDays: daysBetween(purchaseDate, addMonthsAnchored(firstDueDate, -fullMonths, anchorDay)) };
}

/**
 * Whether the monthly rate i = m / H (H = HALF_STEP) is at or below the IRR, i.e. the present
 * value of the installments at that rate still covers the principal. Appendix J's general
 * equation with payment k at t_k = t_1 + k − 1 whole months and a common fraction f = d / 30:
 * Σ A_k / ((1 + f·i)(1 + i)^t_k) ≥ P. Multiplying through by 30H·(H + m)^T (T = t_n) leaves
 * integers only: 30H · Σ A_k·H^t_k·(H + m)^(T − t_k) ≥ P·(30H + d·m)·(H + m)^T.
 */
function coversPrincipal(principal: bigint, amounts: readonly bigint[], m: bigint, first: FirstPeriod): boolean {
  const growth = HALF_STEP + m;
  let value = 0n;
  let discount = HALF_STEP ** BigInt(first.fullMonths);
  for (const amount of amounts) {
    value = value * growth + amount * discount;
    discount *= HALF_STEP;
  }
  const last = BigInt(first.fullMonths + amounts.length - 1);
  const odd = BigInt(first.oddDays);
  return DAYS_PER_UNIT_PERIOD * HALF_STEP * value >= principal * (DAYS_PER_UNIT_PERIOD * HALF_STEP + odd * m) * growth ** last;
}

/**
 * APR (Reg Z Appendix J) of a plan lending `principal` now against `installmentAmounts` paid one
 * month apart, the first `first` from now (one month by default), as a decimal string with 4
 * decimals, rounded half-up: "0.1586". Whole periods count as one twelfth of a year whatever
 * their length in days. An interest-free plan gives "0.0000"; one repaying less than it lent
 * gives a negative rate.
 */
export function planApr(principal: number, installmentAmounts: readonly number[], first: FirstPeriod = REGULAR_FIRST_PERIOD): string {
  if (!Number.isSafeInteger(principal) || principal <= 0) {
    throw new InvalidInputError('APR.INVALID_PRINCIPAL', `principal must be a positive integer number of minor units, got ${principal}`);
  }
  if (installmentAmounts.length === 0 || installmentAmounts.some((a) => !Number.isSafeInteger(a) || a < 0)) {
    throw new InvalidInputError('APR.INVALID_INSTALLMENTS', 'installments must be one or more non-negative integer amounts');
  }
  if (installmentAmounts.every((a) => a === 0)) {
    throw new InvalidInputError('APR.NOTHING_REPAID', 'a plan that repays nothing has no rate of return');
  }
  const p = BigInt(principal);
  const amounts = installmentAmounts.map(BigInt);
  // The answer is the largest k whose lower rounding boundary (k − ½)/10^4 is at or below the
  // APR: present value falls as the rate rises, so that is a monotone predicate on k.
  if (
    !Number.isInteger(first.fullMonths) ||
    first.fullMonths < 0 ||
    !Number.isInteger(first.oddDays) ||
    first.oddDays < 0 ||
    first.oddDays > 30 ||
    first.fullMonths + first.oddDays === 0
  ) {
    throw new InvalidInputError('APR.INVALID_FIRST_PERIOD', `the first period must be whole months and 0–30 odd days, got ${JSON.stringify(first)}`);
  }
  const atOrBelow = (k: bigint): boolean => coversPrincipal(p, amounts, 2n * k - 1n, first);
  // A monthly rate must stay above −100%: 2k − 1 > −HALF_STEP.
  const lowest = -(HALF_STEP / 2n) + 1n;
  let lo: bigint;
  let hi: bigint;
  if (atOrBelow(0n)) {
    lo = 0n;
    hi = 1n;
    while (atOrBelow(hi)) [lo, hi] = [hi, hi * 2n];
  } else {
    hi = 0n;
    lo = -1n;
    while (!atOrBelow(lo)) {
      if (lo === lowest) throw new InvalidInputError('APR.OUT_OF_RANGE', 'the rate of return is below −1199.99% a year');
      hi = lo;
      lo = lo * 2n < lowest ? lowest : lo * 2n;
    }
  }
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (atOrBelow(mid)) lo = mid;
    else hi = mid;
  }
  return formatDecimal(lo, SCALE, APR_DECIMALS);
}

/** APR of a schedule: each period's principal plus fee or interest is one installment. */
export function scheduleApr(principal: number, schedule: readonly { principal: number; fee: number }[]): string {
  return planApr(
    principal,
    schedule.map((s) => s.principal + s.fee),
  );
}

export const APRC_DECIMALS = 3;

/**
 * The EU APRC (Directive 2008/48/EC Annex I) of lending `principal` on `purchaseDate` against
 * `payments` on their dates: X solving Σ A_k·(1 + X)^(−t_k) = P with t_k = actual days / 365, as
 * a decimal string to one decimal of a percentage, rounded half-up ("0.161" is 16.1 %). Solved
 * by bisection in binary floating point to far below the disclosed digit.
 */
export function euAprc(principal: number, purchaseDate: LocalDate, payments: readonly { dueDate: LocalDate; amount: number }[]): string {
  if (!Number.isSafeInteger(principal) || principal <= 0) {
    throw new InvalidInputError('APR.INVALID_PRINCIPAL', `principal must be a positive integer number of minor units, got ${principal}`);
  }
  parseLocalDate(purchaseDate);
  if (payments.length === 0 || payments.some((x) => !Number.isSafeInteger(x.amount) || x.amount < 0)) {
    throw new InvalidInputError('APR.INVALID_INSTALLMENTS', 'installments must be one or more non-negative integer amounts');
  }
  if (payments.every((x) => x.amount === 0)) throw new InvalidInputError('APR.NOTHING_REPAID', 'a plan that repays nothing has no rate of return');
  const flows = payments.map((x) => ({ years: daysBetween(purchaseDate, x.dueDate) / 365, amount: x.amount }));
  if (flows.some((f) => f.years <= 0)) throw new InvalidInputError('APR.INVALID_FIRST_PERIOD', 'every due date must come after the purchase');
  // Present value minus principal: falls as the rate rises.
  const excess = (x: number): number => flows.reduce((s, f) => s + f.amount * (1 + x) ** -f.years, 0) - principal;
  let lo = -0.999999;
  let hi = 1;
  while (excess(hi) > 0) {
    lo = hi;
    hi *= 2;
    if (hi > 1e9) throw new InvalidInputError('APR.OUT_OF_RANGE', 'the annual rate is beyond 10^11 %');
  }
  if (excess(lo) < 0) throw new InvalidInputError('APR.OUT_OF_RANGE', 'the annual rate is below −99.9999 %');
  for (let step = 0; step < 200 && hi - lo > 1e-15; step += 1) {
    const mid = (lo + hi) / 2;
    if (excess(mid) >= 0) lo = mid;
    else hi = mid;
  }
  const units = Math.floor(lo * 10 ** APRC_DECIMALS + 0.5);
  return formatDecimal(BigInt(units), 10n ** BigInt(APRC_DECIMALS), APRC_DECIMALS);
}

/**
 * The APR a plan discloses, by its policy's method: Reg Z from the plan's first period (whole
 * months counted back on `anchorDay`, the billing day or the purchase day), or the EU APRC over
 * the actual days to each due date.
 */
export function disclosedApr(
  method: AprMethod,
  principal: number,
  purchaseDate: LocalDate,
  schedule: readonly { dueDate: LocalDate; principal: number; fee: number }[],
  anchorDay: number,
): string {
  const payments = schedule.map((s) => ({ dueDate: s.dueDate, amount: s.principal + s.fee }));
  if (method === 'eu_aprc') return euAprc(principal, purchaseDate, payments);
  const first = schedule[0];
  if (!first) throw new InvalidInputError('APR.INVALID_INSTALLMENTS', 'installments must be one or more non-negative integer amounts');
  return planApr(
    principal,
    payments.map((x) => x.amount),
    firstPeriod(purchaseDate, first.dueDate, anchorDay),
  );
}
