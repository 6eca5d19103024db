/**
 * Where a repayment goes: a partial payment is applied oldest installment first and, within an
 * installment, late fee → fee/interest → principal; a payoff quote says what settling
 * everything today costs.
 */
import { addMonthsAnchored, daysBetween, type LocalDate, parseLocalDate } from './calendar.ts';
import { InvalidInputError } from './errors.ts';
import type { FeeModel } from './fees.ts';
import { divideHalfUp, toMinorUnits } from './money.ts';

/** The amounts of one installment that allocation needs; a full `Installment` fits. */
export interface InstallmentAmounts {
  period: number;
  dueDate: LocalDate;
  principal: number;
  fee: number;
  lateFee: number;
  /** Everything paid on it so far. */
  amountPaid: number;
  /** The part of `amountPaid` that paid late fees, when recorded. */
  lateFeePaid?: number;
}

export interface Components {
  lateFee: number;
  fee: number;
  principal: number;
}

/** What one installment received from a payment. */
export interface AppliedPayment extends Components {
  period: number;
  total: number;
  /** Nothing is owed on the installment after this. */
  settled: boolean;
}

export interface PaymentAllocation {
  applied: AppliedPayment[];
  /** Part of the payment that no installment needed. */
  leftover: number;
}

function assertAmounts(i: InstallmentAmounts): void {
  for (const key of ['principal', 'fee', 'lateFee', 'amountPaid'] as const) {
    if (!Number.isSafeInteger(i[key]) || i[key] < 0) {
      throw new InvalidInputError('ALLOCATION.INVALID_AMOUNT', `${key} of period ${i.period} must be a non-negative integer, got ${i[key]}`);
    }
  }
  parseLocalDate(i.dueDate);
}

/** Pays `available` into the components in waterfall order; returns what each took. */
function waterfall(owed: Components, available: number): Components {
  const lateFee = Math.min(owed.lateFee, available);
  const fee = Math.min(owed.fee, available - lateFee);
  const principal = Math.min(owed.principal, available - lateFee - fee);
  return { lateFee, fee, principal };
}

/**
 * What is still owed on each component. Past payments are read in the order new ones are
 * applied (late fee, then fee, then principal), except that the late fee paid is taken as
 * recorded (`lateFeePaid`) when it is: late fee accrued after a partial payment must not
 * swallow what that payment paid of the principal.
 */
export function outstandingComponents(installment: Components & { amountPaid: number; lateFeePaid?: number }): Components {
  if (installment.lateFeePaid !== undefined) {
    const lateFeePaid = Math.min(installment.lateFeePaid, installment.lateFee, installment.amountPaid);
    const rest = waterfall({ lateFee: 0, fee: installment.fee, principal: installment.principal }, installment.amountPaid - lateFeePaid);
    return { lateFee: installment.lateFee - lateFeePaid, fee: installment.fee - rest.fee, principal: installment.principal - rest.principal };
  }
  const paid = waterfall(installment, installment.amountPaid);
  return {
    lateFee: installment.lateFee - paid.lateFee,
    fee: installment.fee - paid.fee,
    principal: installment.principal - paid.principal,
  };
}

const total = (c: Components): number => c.lateFee + c.fee + c.principal;

/** Oldest first: by due date (a deferred installment moves back), then by period. */
function oldestFirst<T extends InstallmentAmounts>(installments: readonly T[]): T[] {
  return [...installments].sort((a, b) => (a.dueDate === b.dueDate ? a.period - b.period : a.dueDate < b.dueDate ? -1 : 1));
}

/**
 * Applies a payment of `amount` to the unpaid installments, oldest first, within each late fee →
 * fee/interest → principal. Pass only installments that may still be paid (not cancelled);
 * those with nothing owed are skipped. `applied` lists the ones that received money, and
 * whatever no installment needed is the `leftover`.
 */
export function allocatePayment(installments: readonly InstallmentAmounts[], amount: number): PaymentAllocation {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new InvalidInputError('ALLOCATION.INVALID_AMOUNT', `payment must be a non-negative integer number of minor units, got ${amount}`);
  }
  installments.forEach(assertAmounts);
  let remaining = amount;
  const applied: AppliedPayment[] = [];
  for (const installment of oldestFirst(installments)) {
    if (remaining === 0) break;
    const owed = outstandingComponents(installment);
    const taken = waterfall(owed, remaining);
    const paid = total(taken);
    if (paid === 0) continue;
    remaining -= paid;
    applied.push({ period: installment.period, ...taken, total: paid, settled: paid === total(owed) });
  }
  return { applied, leftover: remaining };
}

/** One installment's part of a payoff quote. */
export interface PayoffItem extends Components {
  period: number;
  /** Fee or interest of this installment that paying off today does not charge. */
  waived: number;
  total: number;
}

/**
 * What paying a `flat` plan off early charges of the fees of periods not yet past: none
 * (`waive_future`), the current period's (`charge_current_period`, common in Chinese consumer
 * finance), or all of them (`charge_all`).
 */
export const PAYOFF_FEE_POLICIES = ['waive_future', 'charge_current_period', 'charge_all'] as const;
export type PayoffFeePolicy = (typeof PAYOFF_FEE_POLICIES)[number];
/** What a quote charges: a flat plan's fee policy, or an interest model's interest to date. */
export type PayoffCharging = PayoffFeePolicy | 'interest_to_date';

export interface PayoffQuote extends Components {
  waived: number;
  /** principal + fee + lateFee: what paying off costs today. */
  total: number;
  items: PayoffItem[];
  /** Which rule set the fee or interest charged. */
  charging: PayoffCharging;
  /** The period today belongs to (its due date is today or the next one to come); none after the last. */
  currentPeriod: number | null;
}

/**
 * The first day of an installment's interest period: the previous period's due date, the
 * purchase date for period 1, or else one month before its due date.
 */
function periodStart(installment: InstallmentAmounts, byPeriod: Map<number, InstallmentAmounts>, purchaseDate?: LocalDate): LocalDate {
  const previous = byPeriod.get(installment.period - 1);
  if (previous) return previous.dueDate;
  if (installment.period === 1 && purchaseDate !== undefined) return purchaseDate;
  return addMonthsAnchored(installment.dueDate, -1, parseLocalDate(installment.dueDate).day);
}

/**
 * What settling every installment costs on local date `today`.
 *
 * Periods run from the previous due date (exclusive) to their own due date (inclusive): the due
 * date itself belongs to the period it closes, so paying off on a due date costs what it did
 * the day before. The current period is the earliest whose due date is today or later; periods
 * due before today are past and owe everything, late fees included. Of the current and later
 * periods:
 * - `flat`: by `feePolicy` — `waive_future` charges none of their fees, `charge_current_period`
 *   the current period's, `charge_all` all of them (`true` / `false` are the older
 *   `waiveFeesOnPayoff`: `waive_future` / `charge_all`).
 * - `annuity` / `equal_principal`: interest stops today. The current period owes its interest
 *   pro rata to the days elapsed, interest × elapsed / length rounded half-up (all of it on its
 *   due date), where the period runs from the previous due date (or `purchaseDate` for period 1;
 *   one month before its due date when neither is given) to its own due date; later periods owe
 *   no interest. `feePolicy` does not apply.
 * Fee or interest already paid is never waived (nothing is refunded), so pass every installment
 * of the plan, paid ones included, for the current period's start to be found.
 */
export function payoffQuote(
  installments: readonly InstallmentAmounts[],
  today: LocalDate,
  model: FeeModel,
  feePolicy: PayoffFeePolicy | boolean,
  purchaseDate?: LocalDate,
): PayoffQuote {
  parseLocalDate(today);
  if (purchaseDate !== undefined) parseLocalDate(purchaseDate);
  installments.forEach(assertAmounts);
  const policy: PayoffFeePolicy = feePolicy === true ? 'waive_future' : feePolicy === false ? 'charge_all' : feePolicy;
  const byPeriod = new Map(installments.map((i) => [i.period, i]));
  const current = oldestFirst(installments.filter((i) => i.dueDate >= today))[0];

  const chargeableFee = (i: InstallmentAmounts): number => {
    if (i.dueDate < today) return i.fee;
    if (model === 'flat') return policy === 'charge_all' || (policy === 'charge_current_period' && i === current) ? i.fee : 0;
    if (i !== current) return 0;
    const start = periodStart(i, byPeriod, purchaseDate);
    const length = daysBetween(start, i.dueDate);
    if (length <= 0) return i.fee; // a deferral can overlap periods; then charge the period whole
    const elapsed = Math.min(length, Math.max(0, daysBetween(start, today)));
    return toMinorUnits(divideHalfUp(BigInt(i.fee) * BigInt(elapsed), BigInt(length)));
  };

  const items: PayoffItem[] = [];
  for (const installment of oldestFirst(installments)) {
    const feePaid = waterfall(installment, installment.amountPaid).fee;
    const fee = Math.max(chargeableFee(installment), feePaid);
    const owed = outstandingComponents({ ...installment, fee });
    const waived = installment.fee - fee;
    if (total(owed) === 0 && waived === 0) continue;
    items.push({ period: installment.period, ...owed, waived, total: total(owed) });
  }
  const add = (key: keyof Components | 'waived'): number => items.reduce((s, i) => s + i[key], 0);
  const quote = { principal: add('principal'), fee: add('fee'), lateFee: add('lateFee'), waived: add('waived') };
  return {
    ...quote,
    total: quote.principal + quote.fee + quote.lateFee,
    items,
    charging: model === 'flat' ? policy : 'interest_to_date',
    currentPeriod: current?.period ?? null,
  };
}
