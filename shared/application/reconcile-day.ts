/**
 * reconcile-day — compares each configured provider's own listing of its captures with our
 * succeeded repayment records for one local day, both ways, and stores the report.
 *
 * Input: a local date in the policy's `reconciliationTimeZone` (default: the day before today
 * there). Output: the report (`{date, differences, …}`), or a refusal when the day is not over.
 * Primary course: list every provider's captures and read our succeeded records from the sparse
 * index, each over the day plus the neighbouring day either side; compare by idempotency key
 * (shared/domain/reconciliation.ts); look up what we hold under each key a provider captured
 * but we did not record as succeeded; store the report for the date; count the differences
 * (the `ReconciliationDifferences` metric, which alarms).
 * Alternative course: a provider whose listing of the day is not whole yet (its `listingLag`
 * says the daily bill comes later, or the provider answers that it is still being made) is left
 * out and named in `pending`, its records too: the day is reconciled again for it later
 * (`reconcileDue`, and on reading the report), never reported as matching or as different.
 */
import { addDays, type LocalDate } from '../domain/calendar.ts';
import {
  type CaptureLine,
  compareDay,
  type Difference,
  dayIsOver,
  type PendingListing,
  planIdOfChargeKey,
  previousLocalDay,
  type ReconciliationReport,
  type RecordLine,
  reconciliationWindow,
  windowListedAt,
} from '../domain/reconciliation.ts';
import { ok, type Refused, type Result, refuse } from '../domain/result.ts';
import { ListingNotReady } from '../ports/payment-gateway.port.ts';
import type { Deps } from './deps.ts';

export type ReconcileDeps = Pick<Deps, 'clock' | 'gateway' | 'plans' | 'reconciliation' | 'metrics' | 'logger' | 'settings'>;

/** `missing_record` keys looked up one by one; past this many, the report says only what was captured. */
const RECORD_LOOKUPS = 200;

export async function reconcileDay(deps: ReconcileDeps, input: { date?: LocalDate } = {}): Promise<Result<ReconciliationReport, Refused<'conflict'>>> {
  const timeZone = deps.settings.policy.reconciliationTimeZone;
  const now = deps.clock.now();
  const date = input.date ?? previousLocalDay(now, timeZone);
  if (!dayIsOver(date, timeZone, now)) {
    return refuse('conflict', 'RECONCILIATION.DAY_NOT_OVER', `${date} has not ended in ${timeZone}; a day is reconciled once it is over`);
  }
  const window = reconciliationWindow(date, timeZone);
  const providers = [...deps.gateway.providers()];
  const captures: CaptureLine[] = [];
  const records: RecordLine[] = [];
  const reconciled: string[] = [];
  const pending: PendingListing[] = [];
  for (const provider of providers) {
    const lag = deps.gateway.listingLag(provider);
    const readyAt = lag ? windowListedAt(window, lag) : now;
    if (readyAt > now) {
      pending.push({ provider, reason: `its listing of ${date} is published at ${lag?.readyAt} ${lag?.timeZone} the next day`, readyAt: readyAt.toISOString() });
      continue;
    }
    try {
      const [theirs, ours] = await Promise.all([
        deps.gateway.captures(provider, window.readFrom, window.readTo),
        deps.reconciliation.succeededRecords(provider, window.readFrom, window.readTo),
      ]);
      captures.push(...theirs);
      records.push(...ours);
      reconciled.push(provider);
    } catch (error) {
      if (!(error instanceof ListingNotReady)) throw error;
      // Published late: try again an hour on (the next scheduled run or a read of the report).
      pending.push({ provider, reason: error.message, readyAt: new Date(now.getTime() + 3_600_000).toISOString() });
    }
  }
  const differences = await withRecordStatus(deps, compareDay(window, captures, records));
  const inDay = (iso: string) => iso >= window.from.toISOString() && iso < window.to.toISOString();
  const report: ReconciliationReport = {
    date,
    timeZone,
    ranAt: now.toISOString(),
    providers: reconciled,
    captures: captures.filter((c) => inDay(c.capturedAt)).length,
    records: records.filter((r) => inDay(r.recordedAt)).length,
    differenceCount: differences.length,
    differences,
    ...(pending.length > 0 ? { pending } : {}),
  };
  await deps.reconciliation.saveReport(report);
  deps.metrics.count('ReconciliationDifferences', differences.length);
  if (pending.length > 0) deps.logger.warn('reconciliation waits for providers’ listings', { date, pending: pending.map((p) => p.provider) });
  if (differences.length > 0) {
    deps.logger.error('reconciliation found differences', { date, count: differences.length, kinds: countKinds(differences) });
  } else {
    deps.logger.info('reconciled', { date, captures: report.captures, records: report.records });
  }
  return ok(report);
}

/**
 * The stored report of a date; a finished day never reconciled yet (before the schedule
 * existed, or a missed run), or one still waiting for a provider's listing, is reconciled now.
 * Refuses today and future days.
 */
export async function reconciliationReport(deps: ReconcileDeps, date: LocalDate): Promise<Result<ReconciliationReport, Refused<'conflict'>>> {
  const stored = await deps.reconciliation.getReport(date);
  return stored && isFinal(stored) ? ok(stored) : reconcileDay(deps, { date });
}

/** How many earlier days a scheduled run looks back at for reports still waiting for a listing. */
export const PENDING_LOOKBACK_DAYS = 7;

/**
 * The scheduled run: reconciles `date` (default: yesterday), then every one of the
 * `PENDING_LOOKBACK_DAYS` days before it whose report still waits for a provider's listing.
 * Answers the report of `date`.
 */
export async function reconcileDue(deps: ReconcileDeps, input: { date?: LocalDate } = {}): Promise<Result<ReconciliationReport, Refused<'conflict'>>> {
  const result = await reconcileDay(deps, input);
  if (!result.ok) return result;
  for (let back = 1; back <= PENDING_LOOKBACK_DAYS; back++) {
    const earlier = addDays(result.value.date, -back);
    const stored = await deps.reconciliation.getReport(earlier);
    if (stored && !isFinal(stored)) await reconcileDay(deps, { date: earlier });
  }
  return result;
}

const isFinal = (report: ReconciliationReport) => (report.pending ?? []).length === 0;

/** What we hold under a key a provider captured: nothing, or a record still pending, or failed. */
async function withRecordStatus(deps: ReconcileDeps, differences: Difference[]): Promise<Difference[]> {
  let lookups = 0;
  const out: Difference[] = [];
  for (const d of differences) {
    const planId = d.kind === 'missing_record' ? planIdOfChargeKey(d.idempotencyKey) : undefined;
    if (!planId || lookups >= RECORD_LOOKUPS) {
      out.push(d);
      continue;
    }
    lookups += 1;
    const held = await deps.plans.getRepayment(planId, d.idempotencyKey);
    out.push({ ...d, planId, ...(held ? { recordStatus: held.status } : {}) });
  }
  return out;
}

function countKinds(differences: readonly Difference[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of differences) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return counts;
}
