/**
 * The installment plan aggregate: a plan and its installments, as pure data and pure functions.
 */

import { disclosedApr } from './apr.ts';
import { assertTimeZone, type LocalDate, parseLocalDate } from './calendar.ts';
import type { ProviderName } from './customer.ts';
import type { FailureNoticeReason } from './dunning.ts';
import { InvalidInputError } from './errors.ts';
import { MAX_SCHEDULE_PERIODS } from './fees.ts';
import type { CurrencyCode } from './money.ts';
import type { Policy } from './policy.ts';
import { buildSchedule, type FeeTerms } from './schedule.ts';

export const PLAN_STATUSES = ['active', 'paid_off', 'overdue', 'defaulted', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const INSTALLMENT_STATUSES = ['scheduled', 'due', 'paid', 'failed', 'overdue', 'deferred', 'cancelled'] as const;
export type InstallmentStatus = (typeof INSTALLMENT_STATUSES)[number];

export interface Plan {
  planId: string;
  customerId: string;
  orderId: string;
  productName: string;
  currency: CurrencyCode;
  principal: number;
  totalFee: number;
  /** Annualised cost including all fees, by `policy.aprMethod` (see apr.ts), as a decimal string. */
  apr: string;
  periods: number;
  fee: FeeTerms;
  purchaseDate: LocalDate;
  billingDay?: number;
  timeZone: string;
  status: PlanStatus;
  policy: Policy;
  /** Method to debit first; the customer's default when absent. */
  paymentMethodId?: string;
  paidPeriods: number;
  /** Everything collected so far, late fees included, in minor units. */
  amountPaid: number;
  /** Deferrals granted so far (limited by `policy.maxDeferralsPerPlan`). */
  deferralsUsed: number;
  createdAt: string;
  /** Optimistic-concurrency version of the plan's totals (absent on plans written before it). */
  version?: number;
  cancelledAt?: string;
}

export interface Installment {
  planId: string;
  period: number;
  dueDate: LocalDate;
  principal: number;
  fee: number;
  lateFee: number;
  amountPaid: number;
  /** The part of `amountPaid` that paid late fees (recorded by partial payments). */
  lateFeePaid?: number;
  status: InstallmentStatus;
  /** Days-before values of the reminders already handled. */
  remindersSent: number[];
  /** Number of debit attempts made so far; the next attempt is number `attemptCount + 1`. */
  attemptCount: number;
  lastFailureCode?: string;
  /** When the next automatic debit happens, for a failed installment. */
  nextAttemptAt?: string;
  /** The customer must act (bind another method) before any automatic retry. */
  needsCustomerAction?: boolean;
  /** Methods that declined this installment for good (expired card …); retries skip them. */
  failedMethodIds?: string[];
  paidAt?: string;
  /** The agenda claim this installment's pending action is held under (opaque token). */
  claim?: string;
  /** Id of a debit attempt that took the lock and has not been recorded yet, and until when it holds. */
  inflightAttemptId?: string;
  lockUntil?: string;
  /** Where an automatic attempt in flight charges, and with which method (see InflightAttempt). */
  inflightProvider?: ProviderName;
  inflightMethodId?: string;
  /** When the automatic attempt in flight first reached for its provider (kept across resumes). */
  inflightSince?: string;
  /** Who holds a customer payment's lock (see PaymentLockHolder); a request when absent. */
  lockHolder?: 'customer' | 'agenda';
  /** A wallet accepted this attempt and will confirm it later (webhook, or the status query). */
  pendingAttemptId?: string;
  /** Local date of the last pre-debit notice (a reminder); wallet rails need one a day ahead. */
  preDebitNoticeOn?: LocalDate;
  /** The last debit announced to a provider that requires it (WeChat Pay): the window it opened and the most it allows. */
  providerNotice?: ProviderNotice;
  /** First local day of being overdue, and the last local day whose late fee has accrued. */
  overdueSince?: LocalDate;
  lateFeeAccruedThrough?: LocalDate;
  /** Σ of each accrued overdue day's unpaid principal and fee (minor-unit days, decimal string): the APR cap's running total. */
  lateFeeBaseDays?: string;
  /** Overdue days (1, 3, 7 …) whose notice has gone out. */
  overdueNoticesSent?: number[];
  /** The due date before a deferral moved it. */
  originalDueDate?: LocalDate;
  /** The support case whose approved extension request made the latest deferral (absent for self-service). */
  deferredBy?: string;
  /** Fee or interest waived (early payoff, acceleration), already deducted from `fee`. */
  waivedFee?: number;
  /** Why the customer has been told of this installment's failed debits (dunning.ts `failureNoticeReason`). */
  failureNoticesSent?: FailureNoticeReason[];
  /** The attempt number whose failure was last told; later failures with no news are not texted. */
  failureToldAttempt?: number;
  /** The local day the plan defaulted and this installment fell due with all the rest (acceleration). */
  acceleratedOn?: LocalDate;
  /** The due date the installment had before acceleration moved it to `acceleratedOn`. */
  acceleratedFrom?: LocalDate;
}

/** Dates in the provider's own zone, both ends included. */
export interface ProviderNotice {
  from: LocalDate;
  until: LocalDate;
  timeZone: string;
  amount: number;
  /** The method (contract) the notice was sent for: WeChat opens the window for that contract only. */
  paymentMethodId?: string;
}

const UNPAID: ReadonlySet<InstallmentStatus> = new Set(['scheduled', 'due', 'failed', 'overdue', 'deferred']);

export function isUnpaid(installment: Installment): boolean {
  return UNPAID.has(installment.status);
}

export function amountDue(installment: Installment): number {
  return installment.principal + installment.fee + installment.lateFee - installment.amountPaid;
}

/** What checkout knows of a plan; the rest (schedule, totals, APR, state) is derived. */
export type NewPlanInput = Pick<
  Plan,
  | 'planId'
  | 'customerId'
  | 'orderId'
  | 'productName'
  | 'currency'
  | 'principal'
  | 'periods'
  | 'fee'
  | 'purchaseDate'
  | 'billingDay'
  | 'timeZone'
  | 'policy'
  | 'paymentMethodId'
  | 'createdAt'
>;

export const MAX_PERIODS = MAX_SCHEDULE_PERIODS;

export function createPlan(input: NewPlanInput): { plan: Plan; installments: Installment[] } {
  if (!Number.isSafeInteger(input.principal) || input.principal <= 0) {
    throw new InvalidInputError('PLAN.INVALID_PRINCIPAL', 'principal must be a positive integer number of minor units');
  }
  if (!Number.isInteger(input.periods) || input.periods < 1 || input.periods > MAX_PERIODS) {
    throw new InvalidInputError('PLAN.INVALID_PERIODS', `periods must be between 1 and ${MAX_PERIODS}`);
  }
  if (input.principal < input.periods) {
    throw new InvalidInputError('PLAN.PRINCIPAL_TOO_SMALL', 'principal must be at least one minor unit per period');
  }
  parseLocalDate(input.purchaseDate);
  assertTimeZone(input.timeZone);
  const schedule = buildSchedule({ ...input, remainderTo: input.policy.remainderTo ?? 'first_periods' });
  const plan: Plan = {
    planId: input.planId,
    customerId: input.customerId,
    orderId: input.orderId,
    productName: input.productName,
    currency: input.currency,
    principal: input.principal,
    totalFee: schedule.reduce((total, s) => total + s.fee, 0),
    apr: disclosedApr(input.policy.aprMethod ?? 'us_reg_z', input.principal, input.purchaseDate, schedule, input.billingDay ?? parseLocalDate(input.purchaseDate).day),
    periods: input.periods,
    fee: input.fee,
    purchaseDate: input.purchaseDate,
    ...(input.billingDay === undefined ? {} : { billingDay: input.billingDay }),
    timeZone: input.timeZone,
    status: 'active',
    policy: input.policy,
    ...(input.paymentMethodId === undefined ? {} : { paymentMethodId: input.paymentMethodId }),
    paidPeriods: 0,
    amountPaid: 0,
    deferralsUsed: 0,
    createdAt: input.createdAt,
  };
  const installments = schedule.map(
    (s): Installment => ({
      planId: input.planId,
      period: s.period,
      dueDate: s.dueDate,
      principal: s.principal,
      fee: s.fee,
      lateFee: 0,
      amountPaid: 0,
      status: 'scheduled',
      remindersSent: [],
      attemptCount: 0,
    }),
  );
  return { plan, installments };
}

/**
 * What a customer sees of a plan in the list of orders: counts, next due date and what is left
 * to pay. Stored on the plan with every change to it, so the list never reads installments.
 */
export interface PlanSummary {
  paidPeriods: number;
  unpaidPeriods: number;
  nextDueDate: LocalDate | null;
  /** What the next unpaid installment still needs (late fee included); null when nothing is left. */
  nextAmountDue: number | null;
  outstanding: number;
  perPeriodAmount: number;
}

/** The summary of a plan, derived from its installments. */
export function summarize(installments: readonly Installment[]): PlanSummary {
  const unpaid = installments.filter(isUnpaid);
  const next = unpaid.reduce<Installment | undefined>((a, b) => (a === undefined || b.dueDate < a.dueDate ? b : a), undefined);
  return {
    paidPeriods: installments.filter((i) => i.status === 'paid').length,
    unpaidPeriods: unpaid.length,
    nextDueDate: next?.dueDate ?? null,
    nextAmountDue: next ? amountDue(next) : null,
    outstanding: unpaid.reduce((total, i) => total + amountDue(i), 0),
    perPeriodAmount: installments[0] ? installments[0].principal + installments[0].fee : 0,
  };
}
