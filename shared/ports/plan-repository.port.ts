import type { AgendaActionKind } from '../domain/agenda.ts';
import type { ProviderName } from '../domain/customer.ts';
import type { OpsCount } from '../domain/ops-metrics.ts';
import type { Installment, Plan, PlanStatus, PlanSummary } from '../domain/plan.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';

export interface PlanDetail {
  plan: Plan;
  installments: Installment[];
}

/** One agenda entry as the sweep reads it from the agenda index. */
export interface AgendaEntry {
  planId: string;
  period: number;
  shard: number;
  nextActionAt: string;
  nextActionKind: AgendaActionKind;
}

/**
 * An automatic attempt as its lock records it: where it charges, so a resumed attempt asks
 * that provider even if the method has gone since, and which method, so it cannot be removed
 * meanwhile.
 */
export interface InflightAttempt {
  id: string;
  provider: ProviderName;
  paymentMethodId?: string;
  /**
   * The customer whose bound method a new charge is about to use: the lock is then taken only
   * while that method is still bound and no removal holds it, in one transaction (so a removal
   * and a charge starting at the same moment cannot both go ahead).
   */
  methodOwnerId?: string;
  /** When the attempt first reached for the provider: kept across resumes, it bounds the provider's lookups. */
  since: Date;
}

/**
 * Who holds a customer payment's lock. `request` (default): a request that is charging or
 * recording it — a new request takes the payment over only once that lease ran out;
 * `customer`: the provider waits for the customer to confirm — the customer's next request
 * takes it over at once; `agenda`: the agenda finishes an abandoned payment — only after the
 * lease ran out, and nobody else meanwhile. So a payment is never charged by one party while
 * another records it.
 */
export type PaymentLockHolder = 'request' | 'customer' | 'agenda';

/**
 * A plan as the list of orders shows it: the plan and its summary, both read from the plan's
 * own item. `summary` is absent only on plans written before summaries were stored.
 */
export interface PlanListItem {
  plan: Plan;
  summary?: PlanSummary;
}

export interface PlanPage {
  plans: PlanListItem[];
  cursor: string | null;
}

/** A failed repayment attempt, as the operators' list shows it. */
export interface FailedAttempt {
  record: RepaymentRecord;
  /** The plan's customer (absent on records written before it was kept on the record). */
  customerId?: string;
  /** The earliest next automatic retry of the record's installments, if one is scheduled. */
  nextAttemptAt?: string;
}

export interface FailedAttemptPage {
  attempts: FailedAttempt[];
  cursor: string | null;
}

/** Paging and filters of a list of plans: `q` matches order id or product name. */
export interface PlanListOptions {
  limit: number;
  cursor?: string;
  q?: string;
  status?: PlanStatus;
}

/**
 * A change to a plan, written in one transaction: an optional repayment record, the changed
 * installments (their agenda entries derived from their new state) and the plan's totals.
 */
export interface PlanChange {
  plan: Plan;
  installments: Installment[];
  /**
   * Other installments the change moves along (acceleration, reinstatement): written under the
   * `unlocked` guard whatever `guard` is, so a payment in flight on one of them fails the change.
   */
  alsoUnlocked?: Installment[];
  record?: RepaymentRecord;
  /** The record settles an earlier `pending` one (a wallet's confirmation) instead of being new. */
  settlesPending?: boolean;
  /** What the change was made under; the write fails (nothing written) if it no longer holds. */
  guard: ChangeGuard;
  /** The operations counters it adds to, written in the same transaction (see domain/ops-metrics.ts). */
  counts?: readonly OpsCount[];
  /**
   * Written only while this payment method is still bound and no removal holds it (a customer's
   * payment written as pending: the removal, which holds the method before it looks for
   * pending payments, then either sees this one or makes this write fail).
   */
  methodStillBound?: { customerId: string; paymentMethodId: string; now: Date };
}

/**
 * `claim`: an agenda action holding the sweep's claim; `lock`: a payment holding the in-flight
 * lock; `unlocked`: a customer or admin action that must not race a payment in flight.
 */
export type ChangeGuard = { kind: 'claim'; claim: string; attemptId?: string } | { kind: 'lock'; lockId: string } | { kind: 'unlocked'; now: Date };

/**
 * `committed`; `conflict`: the plan changed since it was read (another installment's payment,
 * a deferral) — nothing was written, recompute from a fresh read and try again; `lost`: the
 * guard no longer holds (the claim moved on, someone else's payment is in flight).
 */
export type CommitResult = 'committed' | 'conflict' | 'lost';

/** `exists`: the plan id is taken (a re-run); `order_taken`: another plan has the order. */
export type CreateResult = 'created' | 'exists' | 'order_taken';

export interface PlanRepository {
  /** Writes a new plan and its installments atomically; an order has at most one plan. */
  create(detail: PlanDetail): Promise<CreateResult>;
  get(planId: string): Promise<PlanDetail | undefined>;
  /** A customer's plans, newest first, one query per page. */
  listByCustomer(customerId: string, options: PlanListOptions): Promise<PlanPage>;
  /** Every customer's plans in one status, newest first, one query per page. */
  listByStatus(status: PlanStatus, options: Omit<PlanListOptions, 'status'>): Promise<PlanPage>;
  /** Every failed repayment attempt, newest first, one index query (and one read of their installments) per page. */
  listFailedAttempts(options: { limit: number; cursor?: string }): Promise<FailedAttemptPage>;
  listRepayments(planId: string): Promise<RepaymentRecord[]>;
  getRepayment(planId: string, repaymentId: string): Promise<RepaymentRecord | undefined>;
  /** Replaces a repayment record's payment method display (a masked account of the customer's); the money stays as it was. */
  eraseMethodDisplay(planId: string, repaymentId: string, display: string): Promise<void>;

  /** Agenda entries of one shard due at or before `now`, oldest first. */
  findDue(shard: number, now: Date, limit: number): Promise<AgendaEntry[]>;
  /** The earliest pending instant over all shards (the local stack skips idle sweep ticks with it). */
  earliestDue(): Promise<Date | undefined>;
  /**
   * Claims an agenda entry: moves its instant to `leaseUntil` and stores `claim`, only if the
   * entry still reads `seenAt`. False when another sweep got there first.
   */
  claim(entry: AgendaEntry, claim: string, leaseUntil: Date): Promise<boolean>;
  /**
   * Claims many entries (each on the same condition as `claim`) in as few requests as the
   * store allows; says for each, in order, whether it was claimed here.
   */
  claimAll(claims: ReadonlyArray<{ entry: AgendaEntry; claim: string }>, leaseUntil: Date): Promise<boolean[]>;
  /**
   * Takes the in-flight lock for a debit attempt, only while the installment still holds
   * `claim` and no other worker holds an unexpired lock. False when the claim moved on or a
   * duplicate of the message is already running.
   */
  lockAttempt(planId: string, period: number, claim: string, attempt: InflightAttempt, leaseUntil: Date, now: Date): Promise<boolean>;
  /**
   * Takes the in-flight lock on several installments at once for a customer's payment; false
   * when any of them has another payment in flight, or someone works on this one now. See
   * PaymentLockHolder for who may take it when.
   */
  lockForPayment(planId: string, periods: number[], lockId: string, leaseUntil: Date, now: Date, holder?: PaymentLockHolder): Promise<boolean>;
  /** Releases a manual repayment's lock without changing anything else. */
  unlock(planId: string, periods: number[], lockId: string): Promise<void>;
  /**
   * Writes a change and releases its claim and lock. False when the claim was lost (the
   * change is then not written at all). `summary` is the plan's summary after the change,
   * stored on the plan in the same transaction.
   */
  commit(change: PlanChange, summary: PlanSummary): Promise<CommitResult>;
}
