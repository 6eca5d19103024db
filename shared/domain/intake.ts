/**
 * Pricing and intake: what a new plan must satisfy before it is written. Every rule is pure and
 * refuses with a stable code and the request field at fault (HTTP 422 unless said otherwise).
 *
 * * `PLAN.PURCHASE_DATE_OUTSIDE_WINDOW` (`purchaseDate`) — the purchase lies outside the
 *   policy's `purchaseDateWindow` around today in the customer's time zone.
 * * `PLAN.AMOUNT_OUT_OF_RANGE` (`principal`) — what the plan could ever collect (principal, fees
 *   and capped late fees) is beyond the exact range of a number.
 * * `PLAN.ZERO_INSTALLMENT` (`principal`) — some installment would be 0.00; says the smallest
 *   principal that works (`smallestPrincipal`).
 * * `PLAN.APR_ABOVE_MAX` (`fee`) — the plan's own APR, all fees included, is above `maxApr`.
 * * `PLAN.ORDER_HAS_PLAN` (`orderId`, 409) — the order already has a plan (enforced by the store).
 * * `PLAN.CURRENCY_NOT_MARKET` (`principal.currency`) — the customer's market lends in another
 *   currency (or in none repayflow supports).
 * * `PLAN.CURRENCY_NOT_METHOD` (`paymentMethodId`, or `principal.currency` when the method is
 *   the customer's default) — the method cannot be debited in the plan's currency.
 */
import { addDays, daysBetween, type LocalDate } from './calendar.ts';
import { acceptsCurrency, type PaymentMethodType } from './customer.ts';
import { type FeeTerms, monthlyRate, type PeriodAmounts, periodAmounts } from './fees.ts';
import { type CurrencyCode, minorUnits, parseRate, split } from './money.ts';
import { createPlan, type Installment, type NewPlanInput, type Plan } from './plan.ts';
import type { Policy } from './policy.ts';
import { MARKET_CURRENCY } from './profile.ts';
import type { DomainRefusal, Result } from './result.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const INTAKE_CODES = {
  purchaseDate: 'PLAN.PURCHASE_DATE_OUTSIDE_WINDOW',
  outOfRange: 'PLAN.AMOUNT_OUT_OF_RANGE',
  zeroInstallment: 'PLAN.ZERO_INSTALLMENT',
  aprAboveMax: 'PLAN.APR_ABOVE_MAX',
  orderHasPlan: 'PLAN.ORDER_HAS_PLAN',
  currencyNotMarket: 'PLAN.CURRENCY_NOT_MARKET',
  currencyNotMethod: 'PLAN.CURRENCY_NOT_METHOD',
} as const;

function invalid(code: string, field: string, message: string, details?: Record<string, unknown>): { ok: false; error: DomainRefusal<'unprocessable'> } {
  return { ok: false, error: { kind: 'unprocessable', code, message, field, ...(details ? { details } : {}) } };
}

/** The refusal for a second plan on one order (the repository detects it in the plan's write). */
export function orderHasPlan(orderId: string): DomainRefusal<'conflict'> {
  return { kind: 'conflict', code: INTAKE_CODES.orderHasPlan, message: `order ${orderId} already has a plan`, field: 'orderId' };
}

/** `purchaseDate` must lie within [today − daysBack, today + daysAhead], both ends included. */
export function checkPurchaseDate(purchaseDate: LocalDate, today: LocalDate, window: Policy['purchaseDateWindow']): Result<LocalDate, DomainRefusal<'unprocessable'>> {
  const offset = daysBetween(today, purchaseDate);
  if (offset < -window.daysBack || offset > window.daysAhead) {
    const from = addDays(today, -window.daysBack);
    const to = addDays(today, window.daysAhead);
    return invalid(INTAKE_CODES.purchaseDate, 'purchaseDate', `purchaseDate ${purchaseDate} must lie between ${from} and ${to} (today is ${today} in the customer's time zone)`, {
      earliest: from,
      latest: to,
    });
  }
  return { ok: true, value: purchaseDate };
}

/**
 * An upper bound, exact in bigint, on everything the plan could ever collect: principal, its fee
 * or interest, and late fees capped at `lateFeeCap` of each installment.
 */
export function collectableBound(principal: number, periods: number, fee: FeeTerms, lateFeeCap: string): bigint {
  const p = BigInt(principal);
  const n = BigInt(periods);
  let total: bigint;
  if (fee.model === 'flat') {
    const r = parseRate(fee.rate);
    total = p + ceilDiv(p * r.numerator, r.denominator);
  } else {
    const { numerator: rn, denominator: rd } = monthlyRate(fee.annualRate);
    if (rn === 0n) total = p;
    else if (fee.model === 'equal_principal') {
      // Interest on each period's opening balance, each rounded up by at most one unit.
      let balance = p;
      let balances = 0n;
      for (const repaid of split(principal, periods)) {
        balances += balance;
        balance -= BigInt(repaid);
      }
      total = p + ceilDiv(balances * rn, rd) + n;
    } else {
      // n × the annuity payment P·r(1+r)^n / ((1+r)^n − 1), rounded up, plus one unit a period.
      const growth = (rd + rn) ** n;
      const base = rd ** n;
      total = n * (ceilDiv(p * rn * growth, rd * (growth - base)) + 1n);
    }
  }
  const cap = parseRate(lateFeeCap);
  return total + ceilDiv(total * cap.numerator, cap.denominator);
}

/** Refuses amounts whose totals would leave the exact range of a number (never a RangeError). */
export function checkSafeRange(principal: number, periods: number, fee: FeeTerms, lateFeeCap: string, currency: CurrencyCode): Result<number, DomainRefusal<'unprocessable'>> {
  if (!Number.isSafeInteger(principal) || collectableBound(principal, periods, fee, lateFeeCap) > MAX_SAFE) {
    return invalid(
      INTAKE_CODES.outOfRange,
      'principal',
      `principal ${principal} ${currency} minor units with these fees (and late fees up to ${lateFeeCap} of each installment) would total more than ${Number.MAX_SAFE_INTEGER} minor units`,
    );
  }
  return { ok: true, value: principal };
}

/** Whether every installment is at least one minor unit, with at least one unit of principal each period. */
export function schedulesNoZeroInstallment(principal: number, periods: number, fee: FeeTerms): boolean {
  if (principal < periods) return false;
  return periodAmounts(principal, periods, fee).every((a: PeriodAmounts) => a.principal + a.fee > 0);
}

/**
 * The smallest principal, at or above `from`, whose schedule has no 0.00 installment. Each
 * period repays at least one minor unit of principal, so it is at least `periods`; `flat`,
 * `equal_principal` and interest-free plans work from there. An annuity's rounded-up payment can
 * repay a tiny principal early and leave the last periods at 0.00; once the payment exceeds the
 * periods' total rounding (≤ one unit a period, reached by periods × (periods + 1)) it cannot.
 */
export function smallestWorkingPrincipal(from: number, periods: number, fee: FeeTerms): number {
  const start = Math.max(from, periods);
  const sure = start + periods * (periods + 1);
  for (let p = start; p < sure; p += 1) if (schedulesNoZeroInstallment(p, periods, fee)) return p;
  return sure;
}

function formatMinor(amount: number, currency: CurrencyCode): string {
  const places = minorUnits(currency);
  if (places === 0) return `${amount} ${currency}`;
  const digits = String(amount).padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)} ${currency}`;
}

export function checkNoZeroInstallment(principal: number, periods: number, fee: FeeTerms, currency: CurrencyCode): Result<number, DomainRefusal<'unprocessable'>> {
  if (schedulesNoZeroInstallment(principal, periods, fee)) return { ok: true, value: principal };
  const smallest = smallestWorkingPrincipal(principal, periods, fee);
  return invalid(
    INTAKE_CODES.zeroInstallment,
    'principal',
    `principal ${formatMinor(principal, currency)} over ${periods} periods leaves an installment of 0.00; the smallest principal that works${principal >= periods ? ` from ${formatMinor(principal, currency)} up` : ''} is ${formatMinor(smallest, currency)} (${smallest} minor units)`,
    { smallestPrincipal: { amount: smallest, currency } },
  );
}

/** Compares two non-negative decimal strings exactly: is `a` above `b`? */
function decimalAbove(a: string, b: string): boolean {
  if (a.startsWith('-')) return false;
  const x = parseRate(a);
  const y = parseRate(b);
  return x.numerator * y.denominator > y.numerator * x.denominator;
}

export function checkApr(apr: string, maxApr: string): Result<string, DomainRefusal<'unprocessable'>> {
  if (decimalAbove(apr, maxApr)) {
    return invalid(INTAKE_CODES.aprAboveMax, 'fee', `these fees make an APR of ${apr}, above the maximum of ${maxApr}`, { apr, maxApr });
  }
  return { ok: true, value: apr };
}

/** Who the plan is for and what it is debited from, as far as its currency is concerned. */
export interface CurrencyContext {
  /** The customer's market (profile.ts `marketOf`); undefined when it cannot be told. */
  market: string | undefined;
  /** The method debited first, and whether the request named it (`paymentMethodId`). */
  method?: { type: PaymentMethodType; named: boolean };
}

/** The plan's currency must be its customer's market's and one its first method can be debited in. */
export function checkCurrency(currency: CurrencyCode, context: CurrencyContext): Result<CurrencyCode, DomainRefusal<'unprocessable'>> {
  const lends = context.market === undefined ? undefined : MARKET_CURRENCY[context.market];
  if (lends !== currency) {
    return invalid(
      INTAKE_CODES.currencyNotMarket,
      'principal.currency',
      lends
        ? `the customer's market ${context.market} lends in ${lends}, not ${currency}`
        : `the customer's market ${context.market ?? "(unknown: set the profile's market)"} has no currency repayflow lends in`,
      { market: context.market ?? null, marketCurrency: lends ?? null },
    );
  }
  if (context.method && !acceptsCurrency(context.method, currency)) {
    return invalid(
      INTAKE_CODES.currencyNotMethod,
      context.method.named ? 'paymentMethodId' : 'principal.currency',
      `${context.method.named ? 'the payment method' : "the customer's default payment method"} (${context.method.type}) cannot be debited in ${currency}`,
    );
  }
  return { ok: true, value: currency };
}

/**
 * Intake of a new plan on `today` (the customer's local date): every rule above, then the plan
 * with its schedule. The policy checked is the one frozen into the plan.
 */
export function admitPlan(input: NewPlanInput, today: LocalDate, currency?: CurrencyContext): Result<{ plan: Plan; installments: Installment[] }, DomainRefusal<'unprocessable'>> {
  const { policy } = input;
  const checks = [
    () => (currency ? checkCurrency(input.currency, currency) : { ok: true as const, value: input.currency }),
    () => checkPurchaseDate(input.purchaseDate, today, policy.purchaseDateWindow),
    () => checkSafeRange(input.principal, input.periods, input.fee, policy.lateFeeCap, input.currency),
    () => checkNoZeroInstallment(input.principal, input.periods, input.fee, input.currency),
  ];
  for (const check of checks) {
    const result = check();
    if (!result.ok) return result;
  }
  const detail = createPlan(input);
  const apr = checkApr(detail.plan.apr, policy.maxApr);
  if (!apr.ok) return apr;
  return { ok: true, value: detail };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
