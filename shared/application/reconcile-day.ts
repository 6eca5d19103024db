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
 */
import type { LocalDate } from '../domain/calendar.ts';
import {
  type CaptureLine,
  compareDay,
  type Difference,
  dayIsOver,
  planIdOfChargeKey,
  previousLocalDay,
  type ReconciliationReport,
  type RecordLine,
  reconciliationWindow,
} from '../domain/reconciliation.ts';
import { ok, type Refused, type Result, refuse } from '../domain/result.ts';
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
  for (const provider of providers) {
    const [theirs, ours] = await Promise.all([
      deps.gateway.captures(provider, window.readFrom, window.readTo),
      deps.reconciliation.succeededRecords(provider, window.readFrom, window.readTo),
    ]);
    captures.push(...theirs);
    records.push(...ours);
  }
  const differences = await withRecordStatus(deps, compareDay(window, captures, records));
  const inDay = (iso: string) => iso >= window.from.toISOString() && iso < window.to.toISOString();
  const report: ReconciliationReport = {
    date,
    timeZone,
    ranAt: now.toISOString(),
    providers,
    captures: captures.filter((c) => inDay(c.capturedAt)).length,
    records: records.filter((r) => inDay(r.recordedAt)).length,
    differenceCount: differences.length,
    differences,
  };
  await deps.reconciliation.saveReport(report);
  deps.metrics.count('ReconciliationDifferences', differences.length);
  if (differences.length > 0) {
    deps.logger.error('reconciliation found differences', { date, count: differences.length, kinds: countKinds(differences) });
  } else {
    deps.logger.info('reconciled', { date, captures: report.captures, records: report.records });
  }
  return ok(report);
}

/**
 * The stored report of a date; a finished day never reconciled yet (before the schedule
 * existed, or a missed run) is reconciled now. Refuses today and future days.
 */
export async function reconciliationReport(deps: ReconcileDeps, date: LocalDate): Promise<Result<ReconciliationReport, Refused<'conflict'>>> {
  const stored = await deps.reconciliation.getReport(date);
  return stored ? ok(stored) : reconcileDay(deps, { date });
}

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
