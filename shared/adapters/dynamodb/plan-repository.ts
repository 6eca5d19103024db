import { DEFAULT_RETENTION, expiresAt, type Retention } from '../../config/retention.ts';
import { type AgendaActionKind, nextAction } from '../../domain/agenda.ts';
import { type Installment, type Plan, type PlanStatus, type PlanSummary, summarize } from '../../domain/plan.ts';
import type { RepaymentRecord } from '../../domain/repayment.ts';
import type {
  AgendaEntry,
  CommitResult,
  CreateResult,
  FailedAttemptPage,
  InflightAttempt,
  PaymentLockHolder,
  PlanChange,
  PlanDetail,
  PlanListItem,
  PlanListOptions,
  PlanPage,
  PlanRepository,
} from '../../ports/plan-repository.port.ts';
import { withClientCursor } from './cursor.ts';
import { createEntities, type Entities } from './entities.ts';
import type { ItemClient } from './item-client.ts';

type LockCondition = Parameters<ReturnType<ReturnType<Entities['installment']['patch']>['set']>['where']>[0];

import { isConditionFailure } from './errors.ts';
import { opsCounterUpdates } from './ops-metrics-store.ts';

const OPTIONAL_INSTALLMENT_FIELDS = [
  'lastFailureCode',
  'nextAttemptAt',
  'needsCustomerAction',
  'failedMethodIds',
  'paidAt',
  'preDebitNoticeOn',
  'overdueSince',
  'lateFeePaid',
  'lateFeeAccruedThrough',
  'overdueNoticesSent',
  'originalDueDate',
  'deferredBy',
  'waivedFee',
  'pendingAttemptId',
  'failureNoticesSent',
  'failureToldAttempt',
  'acceleratedOn',
  'acceleratedFrom',
  'lateFeeBaseDays',
  'providerNotice',
] as const;
/** Items DynamoDB takes in one transaction. */
const TRANSACTION_LIMIT = 100;
/** Rounds of transactional claims before the rest are claimed one by one. */
const CLAIM_ROUNDS = 5;
const LOCK_FIELDS = ['claim', 'inflightAttemptId', 'lockUntil', 'inflightProvider', 'inflightMethodId', 'inflightSince', 'lockHolder'] as const;

/** Stable shard of an installment on the agenda index (FNV-1a of its key). */
export function agendaShardOf(planId: string, period: number, shards: number): number {
  let hash = 0x811c9dc5;
  for (const ch of `${planId}#${period}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export class DynamoPlanRepository implements PlanRepository {
  readonly #e: Entities;
  readonly #shards: number;
  readonly #closedPlanDays: number;

  /** `retention.closedPlans`: days a paid-off or cancelled plan and its records are kept after it closed. */
  constructor(client: ItemClient, tableName: string, shards: number, retention: Pick<Retention, 'closedPlans'> = DEFAULT_RETENTION) {
    this.#e = createEntities(client, tableName);
    this.#shards = shards;
    this.#closedPlanDays = retention.closedPlans;
  }

  /** The agenda attributes of an installment, derived from its state; never stored by hand. */
  #agenda(plan: Plan, installment: Installment) {
    const action = nextAction(plan, installment);
    return action === undefined
      ? undefined
      : {
          agendaShard: agendaShardOf(installment.planId, installment.period, this.#shards),
          nextActionAt: action.at.toISOString(),
          nextActionKind: action.kind as string,
        };
  }

  /** set/remove for a patch that makes the stored installment equal `installment`. */
  #installmentChanges(plan: Plan, installment: Installment) {
    // The commit releases claim and lock, so the agenda is that of the installment without them.
    const {
      planId: _p,
      period: _n,
      claim: _c,
      inflightAttemptId: _a,
      lockUntil: _u,
      inflightProvider: _v,
      inflightMethodId: _m,
      inflightSince: _s,
      lockHolder: _h,
      ...fields
    } = installment;
    const agenda = this.#agenda(plan, { planId: installment.planId, period: installment.period, ...fields });
    const set: Record<string, unknown> = { ...fields, ...(agenda ?? {}) };
    const remove: string[] = [...LOCK_FIELDS];
    for (const f of OPTIONAL_INSTALLMENT_FIELDS) if (installment[f] === undefined) remove.push(f);
    if (agenda === undefined) remove.push('agendaShard', 'nextActionAt', 'nextActionKind');
    for (const key of Object.keys(set)) if (set[key] === undefined) delete set[key];
    return { set, remove };
  }

  /**
   * The plan, its installments and the order's plan (`orderPlan`) in one transaction: a second
   * plan for an order fails the order's condition, with no scan. The same plan id (a re-run of
   * the same checkout) passes the order's condition and fails the plan's.
   */
  async create({ plan, installments }: PlanDetail): Promise<CreateResult> {
    const result = await this.#e.service.transaction
      .write(({ plan: p, installment: i, orderPlan: o }) => [
        p.create({ ...plan, searchText: `${plan.orderId} ${plan.productName}`.toLowerCase(), summary: storedSummary(summarize(installments)) }).commit(),
        ...installments.map((inst) => i.create({ ...inst, ...(this.#agenda(plan, inst) ?? {}) }).commit()),
        o
          .put({ orderId: plan.orderId, planId: plan.planId, createdAt: plan.createdAt })
          .where((a, op) => `${op.notExists(a.orderId)} OR ${op.eq(a.planId, plan.planId)}`)
          .commit(),
      ])
      .go();
    if (!result.canceled) return 'created';
    if (result.data[0]?.code === 'ConditionalCheckFailed') return 'exists';
    if (result.data.at(-1)?.code === 'ConditionalCheckFailed') return 'order_taken';
    throw new Error(`plan ${plan.planId}: the create transaction was cancelled (${result.data.map((d) => d.code).join(', ')})`);
  }

  async get(planId: string): Promise<PlanDetail | undefined> {
    // Strongly consistent: a lock or payment committed a moment ago is seen (a removal's check relies on it).
    const { data } = await this.#e.service.collections.planDetail({ planId }).go({ pages: 'all', consistent: true });
    const plan = data.plan[0];
    if (!plan) return undefined;
    return {
      plan: toPlan(plan),
      installments: data.installment.map(toInstallment).sort((a, b) => a.period - b.period),
    };
  }

  async listByCustomer(customerId: string, options: PlanListOptions): Promise<PlanPage> {
    const query = this.#e.plan.query.byCustomer({ customerId });
    const q = options.q?.trim().toLowerCase();
    const status: string | undefined = options.status;
    // Filters apply after the page's items are read, so a filtered page may be short; its cursor goes on.
    const filtered =
      q || status ? query.where((a, op) => [q ? op.contains(a.searchText, q) : undefined, status ? op.eq(a.status, status) : undefined].filter(Boolean).join(' AND ')) : query;
    const result = await withClientCursor(options.cursor, (cursor) => filtered.go({ order: 'desc', limit: options.limit, cursor }));
    return { plans: result.data.map(toListItem), cursor: result.cursor };
  }

  async listByStatus(status: PlanStatus, options: Omit<PlanListOptions, 'status'>): Promise<PlanPage> {
    const query = this.#e.plan.query.byStatus({ status });
    const q = options.q?.trim().toLowerCase();
    const filtered = q ? query.where((a, op) => op.contains(a.searchText, q)) : query;
    const result = await withClientCursor(options.cursor, (cursor) => filtered.go({ order: 'desc', limit: options.limit, cursor }));
    return { plans: result.data.map(toListItem), cursor: result.cursor };
  }

  async listFailedAttempts(options: { limit: number; cursor?: string }): Promise<FailedAttemptPage> {
    const page = await withClientCursor(options.cursor, (cursor) => this.#e.repayment.query.failed({}).go({ order: 'desc', limit: options.limit, cursor }));
    // The next retries are the installments' own: one batch read of the page's installments.
    const keys = [...new Map(page.data.flatMap((r) => r.periods.map((period) => [`${r.planId}#${period}`, { planId: r.planId, period }] as const))).values()];
    const next = new Map<string, string>();
    if (keys.length > 0) {
      const attributes = ['planId', 'period', 'nextAttemptAt'] as const;
      const { data, unprocessed } = await this.#e.installment.get(keys).go({ attributes: [...attributes] });
      // Keys DynamoDB left over (throttled) are read one by one.
      const rest = await Promise.all(unprocessed.map(async (key) => (await this.#e.installment.get(key).go({ attributes: [...attributes] })).data));
      for (const i of [...data, ...rest]) if (i?.nextAttemptAt) next.set(`${i.planId}#${i.period}`, i.nextAttemptAt);
    }
    return {
      attempts: page.data.map((item) => {
        const nextAttemptAt = item.periods
          .map((period) => next.get(`${item.planId}#${period}`))
          .filter((at): at is string => at !== undefined)
          .sort()[0];
        return { record: toRepayment(item), ...(item.customerId ? { customerId: item.customerId } : {}), ...(nextAttemptAt ? { nextAttemptAt } : {}) };
      }),
      cursor: page.cursor,
    };
  }

  async listRepayments(planId: string): Promise<RepaymentRecord[]> {
    const { data } = await this.#e.repayment.query.byPlan({ planId }).go({ pages: 'all' });
    return data.map(toRepayment).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async getRepayment(planId: string, id: string): Promise<RepaymentRecord | undefined> {
    const { data } = await this.#e.repayment.get({ planId, id }).go();
    return data ? toRepayment(data) : undefined;
  }

  async eraseMethodDisplay(planId: string, id: string, display: string): Promise<void> {
    await this.#e.repayment
      .patch({ planId, id })
      .set({ paymentMethodDisplay: display })
      .go({ response: 'none' })
      .catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
      });
  }

  async findDue(shard: number, now: Date, limit: number): Promise<AgendaEntry[]> {
    const { data } = await this.#e.installment.query
      .agenda({ agendaShard: shard })
      .lte({ nextActionAt: now.toISOString() })
      .go({ limit, attributes: ['planId', 'period', 'agendaShard', 'nextActionAt', 'nextActionKind'] });
    return data.map((d) => ({
      planId: d.planId,
      period: d.period,
      shard,
      nextActionAt: d.nextActionAt!,
      nextActionKind: d.nextActionKind as AgendaActionKind,
    }));
  }

  async earliestDue(): Promise<Date | undefined> {
    const heads = await Promise.all(
      Array.from({ length: this.#shards }, (_, shard) => this.#e.installment.query.agenda({ agendaShard: shard }).go({ limit: 1, attributes: ['nextActionAt'] })),
    );
    const instants = heads.flatMap((h) => h.data.map((d) => d.nextActionAt!)).sort();
    return instants[0] === undefined ? undefined : new Date(instants[0]);
  }

  async claim(entry: AgendaEntry, claim: string, leaseUntil: Date): Promise<boolean> {
    try {
      await this.#e.installment
        .patch({ planId: entry.planId, period: entry.period })
        .set({ claim, agendaShard: entry.shard, nextActionAt: leaseUntil.toISOString(), nextActionKind: entry.nextActionKind })
        .where((a, op) => op.eq(a.nextActionAt, entry.nextActionAt))
        .go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * One transaction per page of claims (DynamoDB takes up to 100 items in one): each item keeps
   * its own condition, so an entry another sweep took is refused. A refusal cancels the whole
   * transaction, so the others (reason `None`, or a conflict with a concurrent write) are tried
   * again in the next round; every round settles at least one entry.
   */
  async claimAll(claims: ReadonlyArray<{ entry: AgendaEntry; claim: string }>, leaseUntil: Date): Promise<boolean[]> {
    const claimed: boolean[] = claims.map(() => false);
    let open = claims.map((_, i) => i);
    for (let round = 0; open.length > 0; round++) {
      if (round >= CLAIM_ROUNDS) {
        // Conflicts every round (something else writes these items right now): one by one.
        await Promise.all(open.map(async (i) => (claimed[i] = await this.claim(claims[i]!.entry, claims[i]!.claim, leaseUntil))));
        return claimed;
      }
      const next: number[] = [];
      for (let start = 0; start < open.length; start += TRANSACTION_LIMIT) {
        const chunk = open.slice(start, start + TRANSACTION_LIMIT);
        const result = await this.#e.service.transaction
          .write(({ installment }) =>
            chunk.map((i) => {
              const { entry, claim } = claims[i]!;
              return installment
                .patch({ planId: entry.planId, period: entry.period })
                .set({ claim, agendaShard: entry.shard, nextActionAt: leaseUntil.toISOString(), nextActionKind: entry.nextActionKind })
                .where((a, op) => op.eq(a.nextActionAt, entry.nextActionAt))
                .commit();
            }),
          )
          .go();
        if (!result.canceled) {
          for (const i of chunk) claimed[i] = true;
          continue;
        }
        const reasons = (result.data as ReadonlyArray<{ code: string }>).map((r) => r.code);
        chunk.forEach((i, k) => {
          const code = reasons[k];
          if (code === 'ConditionalCheckFailed') return; // another sweep claimed it, or it moved on
          if (code === 'None' || code === 'TransactionConflict') next.push(i);
          else throw new Error(`claiming agenda entries was cancelled (${reasons.join(', ')})`);
        });
      }
      open = next;
    }
    return claimed;
  }

  async lockAttempt(planId: string, period: number, claim: string, attempt: InflightAttempt, leaseUntil: Date, now: Date): Promise<boolean> {
    const owner = attempt.methodOwnerId;
    const methodId = attempt.paymentMethodId;
    const lock = this.#lockPatch(planId, period, claim, attempt, leaseUntil, now);
    if (owner && methodId) {
      // The lock and "the method is bound, and no removal holds it" in one transaction.
      const result = await this.#e.service.transaction
        .write(({ installment, paymentMethod }) => [
          installment.patch({ planId, period }).set(lock.set).where(lock.where).commit(),
          paymentMethod.check({ customerId: owner, paymentMethodId: methodId }).where(boundAt(now)).commit(),
        ])
        .go();
      return !result.canceled;
    }
    try {
      await this.#e.installment.patch({ planId, period }).set(lock.set).where(lock.where).go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** What an attempt's lock writes, and when it may: exclusive even for the same attempt id. */
  #lockPatch(planId: string, period: number, claim: string, attempt: InflightAttempt, leaseUntil: Date, now: Date) {
    const set = {
      inflightAttemptId: attempt.id,
      inflightProvider: attempt.provider,
      inflightSince: attempt.since.toISOString(),
      ...(attempt.paymentMethodId ? { inflightMethodId: attempt.paymentMethodId } : {}),
      lockUntil: leaseUntil.toISOString(),
    };
    // A duplicate delivery must not run a second charge beside the first, or an "unknown"
    // outcome could be misread. An expired lock of an earlier automatic attempt is taken over
    // (to resume it); a customer's payment in flight never is.
    const where: LockCondition = (a, op) =>
      `${op.eq(a.claim, claim)} AND (${op.notExists(a.lockUntil)} OR ${op.lt(a.lockUntil, now.toISOString())}) AND (${op.notExists(a.inflightAttemptId)} OR begins_with(${op.name(a.inflightAttemptId)}, ${op.value(a.inflightAttemptId, `${planId}:${period}:`)}))`;
    return { set, where };
  }

  async lockForPayment(planId: string, periods: number[], lockId: string, leaseUntil: Date, now: Date, holder: PaymentLockHolder = 'request'): Promise<boolean> {
    const result = await this.#e.service.transaction
      .write(({ installment }) =>
        periods.map((period) => {
          const patch = installment
            .patch({ planId, period })
            // The agenda comes back when the lease ends, so a payment whose request died is
            // finished (or released) without waiting for the installment's next action.
            .set({
              inflightAttemptId: lockId,
              lockUntil: leaseUntil.toISOString(),
              agendaShard: agendaShardOf(planId, period, this.#shards),
              nextActionAt: leaseUntil.toISOString(),
              nextActionKind: 'debit',
              ...(holder === 'request' ? {} : { lockHolder: holder }),
            });
          return (holder === 'request' ? patch.remove(['lockHolder']) : patch)
            .where((a, op) => {
              // Never beside another attempt, even one whose lease ran out: a crashed automatic
              // attempt may have charged, and only resuming it (status query) can tell.
              // (An operator registers the value it is given at once, so each is built only where used.)
              const ours = () => op.eq(a.inflightAttemptId, lockId);
              const expired = () => op.lte(a.lockUntil, now.toISOString());
              switch (holder) {
                // A request takes its own payment over when nobody works on it: its lease ran
                // out, or it waits for the customer's confirmation.
                case 'request':
                  return `${op.notExists(a.inflightAttemptId)} OR (${ours()} AND (${op.notExists(a.lockUntil)} OR ${expired()} OR ${op.eq(a.lockHolder, 'customer')}))`;
                // The request that holds it hands it to the customer's confirmation.
                case 'customer':
                  return ours();
                // The agenda finishes a payment only once its lease ran out, and alone.
                case 'agenda':
                  return `${ours()} AND ${expired()}`;
              }
            })
            .commit();
        }),
      )
      .go();
    return !result.canceled;
  }

  async unlock(planId: string, periods: number[], lockId: string): Promise<void> {
    await Promise.all(
      periods.map((period) =>
        this.#e.installment
          .patch({ planId, period })
          .remove(['inflightAttemptId', 'lockUntil', 'inflightProvider', 'inflightMethodId', 'inflightSince', 'lockHolder'])
          .where((a, op) => op.eq(a.inflightAttemptId, lockId))
          .go({ response: 'none' })
          .catch((err: unknown) => {
            if (!isConditionFailure(err)) throw err;
          }),
      ),
    );
  }

  async commit(change: PlanChange, summary: PlanSummary): Promise<CommitResult> {
    const { record, settlesPending, installments, alsoUnlocked = [], plan, guard, counts = [], methodStillBound: bound } = change;
    const version = plan.version ?? 0;
    // A change that leaves the plan closed starts its retention period: every item of the plan gets the TTL.
    const ttl = isClosed(plan) ? { expiresAt: expiresAt(closedAt(change), this.#closedPlanDays) } : {};
    const result = await this.#e.service.transaction
      .write(({ repayment, installment, plan: p, opsCounter, paymentMethod }) => [
        ...(bound ? [paymentMethod.check({ customerId: bound.customerId, paymentMethodId: bound.paymentMethodId }).where(boundAt(bound.now)).commit()] : []),
        // The operations counters count this change exactly when it is written (they hold no condition).
        ...opsCounterUpdates(plan.planId, counts).map(({ utcDate, counter, shard, add }) => opsCounter.update({ utcDate, counter, shard }).add(add).commit()),
        ...(record && !settlesPending ? [repayment.create({ ...record, ...reconKeys(record), customerId: plan.customerId, ...ttl }).commit()] : []),
        ...(record && settlesPending
          ? [
              repayment
                .patch({ planId: record.planId, id: record.id })
                .set({
                  status: record.status,
                  ...(record.failureCode ? { failureCode: record.failureCode } : {}),
                  ...(record.gatewayReference ? { gatewayReference: record.gatewayReference } : {}),
                  // The reconciliation index's keys, made only when the record succeeds (the failed list's, when it fails).
                  createdAt: record.createdAt,
                  ...reconKeys(record),
                  customerId: plan.customerId,
                  ...ttl,
                })
                .where((a, op) => op.eq(a.status, 'pending'))
                .commit(),
            ]
          : []),
        ...[...installments.map((inst) => ({ inst, guard })), ...alsoUnlocked.map((inst) => ({ inst, guard: { kind: 'unlocked', now: new Date(0) } as const }))].map(
          ({ inst, guard }) => {
            const { set, remove } = this.#installmentChanges(plan, inst);
            return (
              installment
                .patch({ planId: inst.planId, period: inst.period })
                .set(set)
                .remove(remove as never)
                // Lock fields are removed below, so every guard proves the lock is the writer's own or absent.
                .where((a, op) =>
                  guard.kind === 'claim'
                    ? `${op.eq(a.claim, guard.claim)} AND (${op.notExists(a.inflightAttemptId)}${guard.attemptId ? ` OR ${op.eq(a.inflightAttemptId, guard.attemptId)}` : ''})`
                    : guard.kind === 'lock'
                      ? op.eq(a.inflightAttemptId, guard.lockId)
                      : op.notExists(a.inflightAttemptId),
                )
                .commit()
            );
          },
        ),
        // Optimistic: the plan's totals were computed from the version read; another change
        // to the same plan since then makes this one a conflict, to be recomputed.
        p
          .patch({ planId: plan.planId })
          .set({
            status: plan.status,
            paidPeriods: plan.paidPeriods,
            amountPaid: plan.amountPaid,
            deferralsUsed: plan.deferralsUsed,
            summary: storedSummary(summary),
            // The status index's sort key is rebuilt with the status, so it needs every part of it.
            createdAt: plan.createdAt,
            version: version + 1,
            ...(plan.cancelledAt ? { cancelledAt: plan.cancelledAt } : {}),
            ...ttl,
          })
          .where((a, op) => (version === 0 ? `${op.notExists(a.version)} OR ${op.eq(a.version, 0)}` : op.eq(a.version, version)))
          .commit(),
      ])
      .go();
    if (!result.canceled) {
      if (ttl.expiresAt !== undefined) await this.#keepUntil(plan, ttl.expiresAt);
      return 'committed';
    }
    const reasons = (result.data as ReadonlyArray<{ code: string }>).map((r) => r.code);
    if (!reasons.every((code) => code === 'None' || code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) {
      throw new Error(`plan ${plan.planId}: transaction cancelled (${reasons.join(', ')})`);
    }
    // Another transaction on the same items at the same moment: nothing was written, build again.
    if (reasons.includes('TransactionConflict')) return 'conflict';
    // The plan is the last item: only its condition failing means "recompute and retry".
    const othersHeld = reasons.slice(0, -1).every((code) => code === 'None');
    return othersHeld && reasons.at(-1) === 'ConditionalCheckFailed' ? 'conflict' : 'lost';
  }

  /**
   * The TTL on the items of a closed plan the closing transaction did not write: its earlier
   * installments, its repayment records and its order's entry. Each is a patch of that one
   * attribute (a transaction holds at most 100 items; a plan may hold more records).
   */
  async #keepUntil(plan: Plan, until: number): Promise<void> {
    const { data } = await this.#e.service.collections.planDetail({ planId: plan.planId }).go({ pages: 'all' });
    const stale = <T extends { expiresAt?: number }>(items: readonly T[]) => items.filter((i) => i.expiresAt !== until);
    await Promise.all([
      ...stale(data.installment).map((i) => this.#e.installment.patch({ planId: plan.planId, period: i.period }).set({ expiresAt: until }).go({ response: 'none' })),
      ...stale(data.repayment).map((r) => this.#e.repayment.patch({ planId: plan.planId, id: r.id }).set({ expiresAt: until }).go({ response: 'none' })),
      this.#e.orderPlan
        .patch({ orderId: plan.orderId })
        .set({ expiresAt: until })
        .where((a, op) => op.eq(a.planId, plan.planId))
        .go({ response: 'none' })
        .catch((err: unknown) => {
          if (!isConditionFailure(err)) throw err;
        }),
    ]);
  }
}

const isClosed = (plan: Plan) => plan.status === 'paid_off' || plan.status === 'cancelled';

/** When a closing change closed the plan: its cancellation, else the payment that settled it. */
function closedAt({ plan, record, installments }: PlanChange): string {
  const paidAt = installments
    .map((i) => i.paidAt ?? '')
    .sort()
    .at(-1);
  return plan.cancelledAt ?? record?.createdAt ?? (paidAt || new Date().toISOString());
}

type Item = Record<string, unknown>;

/** The attributes the sparse reconciliation index is keyed by (its condition keeps only succeeded records). */
function reconKeys(record: RepaymentRecord): { reconProvider: string; reconDay: string } {
  return { reconProvider: record.provider ?? 'simulated', reconDay: record.createdAt.slice(0, 10) };
}

function pick<T>(item: Item, keys: readonly string[]): T {
  const out: Item = {};
  for (const k of keys) if (item[k] !== undefined) out[k] = item[k];
  return out as T;
}

const PLAN_KEYS = [
  'planId',
  'customerId',
  'orderId',
  'productName',
  'currency',
  'principal',
  'totalFee',
  'apr',
  'periods',
  'fee',
  'purchaseDate',
  'billingDay',
  'timeZone',
  'status',
  'policy',
  'paymentMethodId',
  'paidPeriods',
  'amountPaid',
  'deferralsUsed',
  'cancelledAt',
  'createdAt',
  'version',
] as const;
/** Every attribute of an installment: its own fields, the optional ones, and the lock. */
const INSTALLMENT_KEYS = [
  'planId',
  'period',
  'dueDate',
  'principal',
  'fee',
  'lateFee',
  'amountPaid',
  'status',
  'remindersSent',
  'attemptCount',
  ...OPTIONAL_INSTALLMENT_FIELDS,
  ...LOCK_FIELDS,
] as const;
const REPAYMENT_KEYS = [
  'id',
  'planId',
  'kind',
  'periods',
  'amount',
  'currency',
  'paymentMethodId',
  'paymentMethodDisplay',
  'provider',
  'status',
  'failureCode',
  'scope',
  'gatewayReference',
  'claim',
  'createdAt',
] as const;

const toPlan = (item: object): Plan => {
  const plan = pick<Plan>(item as Item, PLAN_KEYS);
  return { ...plan, deferralsUsed: plan.deferralsUsed ?? 0 };
};
/** A summary as the plan's item keeps it: no next due date once nothing is left to pay. */
/** The summary as stored: DynamoDB maps hold no nulls, so a missing next due date or amount is left out. */
/** The condition of a transaction item that holds only while the method is bound and no removal holds it. */
type MethodCondition = Parameters<ReturnType<ReturnType<Entities['paymentMethod']['patch']>['set']>['where']>[0];
const boundAt =
  (now: Date): MethodCondition =>
  (a, op) =>
    `${op.exists(a.token)} AND (${op.notExists(a.removingUntil)} OR ${op.lt(a.removingUntil, now.toISOString())})`;

function storedSummary({ nextDueDate, nextAmountDue, ...rest }: PlanSummary) {
  return { ...rest, ...(nextDueDate === null ? {} : { nextDueDate }), ...(nextAmountDue === null ? {} : { nextAmountDue }) };
}
const toListItem = (item: object): PlanListItem => {
  const stored = (item as { summary?: Omit<PlanSummary, 'nextDueDate' | 'nextAmountDue'> & { nextDueDate?: string; nextAmountDue?: number } }).summary;
  return { plan: toPlan(item), ...(stored ? { summary: { ...stored, nextDueDate: stored.nextDueDate ?? null, nextAmountDue: stored.nextAmountDue ?? null } } : {}) };
};
const toInstallment = (item: object): Installment => {
  const inst = pick<Installment>(item as Item, INSTALLMENT_KEYS);
  return { ...inst, remindersSent: inst.remindersSent ?? [] };
};
const toRepayment = (item: object): RepaymentRecord => pick<RepaymentRecord>(item as Item, REPAYMENT_KEYS);
