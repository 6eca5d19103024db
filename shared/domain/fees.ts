/**
 * Fee models: how a plan's principal and its fee or interest are spread over the periods.
 * All arithmetic is on bigint rationals; every rounding is half-up to the minor unit.
 */
import * as z from 'zod';
import { InvalidInputError } from './errors.ts';
import { applyRate, divideHalfUp, isValidRate, parseRate, type RemainderPlacement, split, toMinorUnits } from './money.ts';

export const FEE_MODELS = ['flat', 'annuity', 'equal_principal'] as const;
export type FeeModel = (typeof FEE_MODELS)[number];

/**
 * `flat`: total fee = principal × rate, spread like the principal (Huabei-style).
 * `annuity` (等额本息): equal payments, interest on the outstanding balance.
 * `equal_principal` (等额本金): equal principal, interest on the outstanding balance.
 */
export type FeeTerms = { model: 'flat'; rate: string } | { model: 'annuity'; annualRate: string } | { model: 'equal_principal'; annualRate: string };

const rate = z.string().refine(isValidRate, { message: 'must be a decimal string such as "0.088"' });

export const FeeTermsSchema = z.discriminatedUnion('model', [
  z.object({ model: z.literal('flat'), rate }).strict(),
  z.object({ model: z.literal('annuity'), annualRate: rate }).strict(),
  z.object({ model: z.literal('equal_principal'), annualRate: rate }).strict(),
]);

/** Longest plan repayflow schedules. */
export const MAX_SCHEDULE_PERIODS = 60;
/** The amortisation math alone also serves longer loans (a 30-year mortgage is 360). */
export const MAX_AMORTIZATION_PERIODS = 600;

/** One period's share: principal repaid and the fee or interest charged. */
export interface PeriodAmounts {
  principal: number;
  fee: number;
}

/** A monthly rate as an exact ratio: annualRate / 12. */
export interface MonthlyRate {
  numerator: bigint;
  denominator: bigint;
}

export function monthlyRate(annualRate: string): MonthlyRate {
  const r = parseRate(annualRate);
  return { numerator: r.numerator, denominator: r.denominator * 12n };
}

export function assertPeriods(periods: number, max: number = MAX_SCHEDULE_PERIODS): void {
  if (!Number.isInteger(periods) || periods < 1 || periods > max) {
    throw new InvalidInputError('SCHEDULE.INVALID_PERIODS', `periods must be between 1 and ${max}, got ${periods}`);
  }
}

function assertPrincipal(principal: number): void {
  if (!Number.isSafeInteger(principal) || principal < 0) {
    throw new InvalidInputError('SCHEDULE.INVALID_PRINCIPAL', `principal must be a non-negative integer number of minor units, got ${principal}`);
  }
}

/**
 * The annuity payment P·r/(1−(1+r)^−n), rounded half-up. With r = p/q it is the exact ratio
 * P·p·(q+p)^n / (q·((q+p)^n − q^n)), so no power is ever rounded.
 */
export function annuityPayment(principal: number, annualRate: string, periods: number): number {
  assertPrincipal(principal);
  assertPeriods(periods, MAX_AMORTIZATION_PERIODS);
  const { numerator: p, denominator: q } = monthlyRate(annualRate);
  if (p === 0n) return split(principal, periods)[0]!;
  const growth = (q + p) ** BigInt(periods);
  const base = q ** BigInt(periods);
  return toMinorUnits(divideHalfUp(BigInt(principal) * p * growth, q * (growth - base)));
}

function interestOn(balance: bigint, rate: MonthlyRate): bigint {
  return divideHalfUp(balance * rate.numerator, rate.denominator);
}

function annuityAmounts(principal: number, annualRate: string, periods: number, remainderTo: RemainderPlacement): PeriodAmounts[] {
  const rate = monthlyRate(annualRate);
  if (rate.numerator === 0n) return split(principal, periods, remainderTo).map((p) => ({ principal: p, fee: 0 }));
  const payment = BigInt(annuityPayment(principal, annualRate, periods));
  let balance = BigInt(principal);
  return Array.from({ length: periods }, (_, i) => {
    const interest = interestOn(balance, rate);
    // The last period takes whatever is left, so the balance ends at exactly 0. Earlier ones are
    // clamped to the balance: for a tiny principal the rounded payment could otherwise overshoot.
    const due = i === periods - 1 ? balance : payment - interest;
    const repaid = due < 0n ? 0n : due > balance ? balance : due;
    balance -= repaid;
    return { principal: toMinorUnits(repaid), fee: toMinorUnits(interest) };
  });
}

function equalPrincipalAmounts(principal: number, annualRate: string, periods: number, remainderTo: RemainderPlacement): PeriodAmounts[] {
  const rate = monthlyRate(annualRate);
  let balance = BigInt(principal);
  return split(principal, periods, remainderTo).map((repaid) => {
    const interest = interestOn(balance, rate);
    balance -= BigInt(repaid);
    return { principal: repaid, fee: toMinorUnits(interest) };
  });
}

/**
 * Principal and fee or interest of every period (up to MAX_AMORTIZATION_PERIODS); the principals
 * always add up to `principal`. `remainderTo` places the remainder of every even split (the
 * principal and a flat fee; an annuity's last period absorbs its rounding either way).
 */
export function periodAmounts(principal: number, periods: number, terms: FeeTerms, remainderTo: RemainderPlacement = 'first_periods'): PeriodAmounts[] {
  assertPrincipal(principal);
  assertPeriods(periods, MAX_AMORTIZATION_PERIODS);
  switch (terms.model) {
    case 'flat': {
      const principals = split(principal, periods, remainderTo);
      const fees = split(applyRate(principal, parseRate(terms.rate)), periods, remainderTo);
      return principals.map((p, i) => ({ principal: p, fee: fees[i]! }));
    }
    case 'annuity':
      return annuityAmounts(principal, terms.annualRate, periods, remainderTo);
    case 'equal_principal':
      return equalPrincipalAmounts(principal, terms.annualRate, periods, remainderTo);
    default:
      throw new InvalidInputError('FEE.UNKNOWN_MODEL', `unknown fee model ${JSON.stringify((terms as { model: unknown }).model)}`);
  }
}

/** Whether the fee of a period accrues with time (interest) rather than being fixed up front. */
export function accruesInterest(model: FeeModel): boolean {
  return model !== 'flat';
}
