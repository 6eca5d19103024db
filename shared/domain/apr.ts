/**
 * Cost disclosure: the annualised percentage rate of a plan, the internal rate of return of its
 * cash flows × 12. Found by bisection on exact rationals, so the disclosed digits are the true
 * rounding of the rate, not of a float approximation.
 */
import { InvalidInputError } from './errors.ts';
import { formatDecimal } from './money.ts';

export const APR_DECIMALS = 4;

const SCALE = 10n ** BigInt(APR_DECIMALS);
/** Denominator of the monthly rate at a half-step of the APR: m / (2 · 10^4 · 12). */
const HALF_STEP = 2n * SCALE * 12n;

/**
 * Whether the monthly rate m / HALF_STEP is at or below the IRR, i.e. the present value of the
 * installments at that rate still covers the principal. Multiplying through by
 * (HALF_STEP + m)^n leaves integers only: Σ A_j·H^j·(H+m)^(n−j) ≥ P·(H+m)^n.
 */
function coversPrincipal(principal: bigint, amounts: readonly bigint[], m: bigint): boolean {
  const growth = HALF_STEP + m;
  let value = 0n;
  let discount = 1n;
  for (const amount of amounts) {
    discount *= HALF_STEP;
    value = value * growth + amount * discount;
  }
  return value >= principal * growth ** BigInt(amounts.length);
}

/**
 * APR of a plan lending `principal` now against `installmentAmounts` paid one month apart (the
 * first one month from now), as a decimal string with 4 decimals, rounded half-up: "0.1586".
 * Every period counts as one twelfth of a year whatever its length in days. An interest-free
 * plan gives "0.0000"; one repaying less than it lent gives a negative rate.
 */
export function planApr(principal: number, installmentAmounts: readonly number[]): string {
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
  const atOrBelow = (k: bigint): boolean => coversPrincipal(p, amounts, 2n * k - 1n);
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
  return planApr(principal, schedule.map((s) => s.principal + s.fee));
}
