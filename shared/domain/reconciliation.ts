/**
 * Reconciliation: a provider's own listing of its captures against our succeeded repayment
 * records, both ways, matched by idempotency key (the attempt id).
 *
 * A capture and its record are never at the same instant: the provider captures, then we
 * record its answer (seconds later; a wallet's confirmation, minutes later). So each side is
 * read over the day plus a margin either side, and an item is called missing only when its
 * counterpart is absent from that whole window. Every difference belongs to exactly one day:
 * a matched pair to the day of its capture, an unmatched item to its own day.
 */

import { addDays, type LocalDate, type LocalTime, localDateOf, zonedInstant } from './calendar.ts';
import type { RepaymentStatus } from './repayment.ts';

export type DifferenceKind = 'missing_record' | 'missing_capture' | 'amount_mismatch' | 'currency_mismatch';

/** One capture as the provider lists it. */
export interface CaptureLine {
  provider: string;
  idempotencyKey: string;
  gatewayReference: string;
  amount: number;
  currency: string;
  capturedAt: string;
}

/** One succeeded repayment record as we hold it. */
export interface RecordLine {
  provider: string;
  id: string;
  planId: string;
  amount: number;
  currency: string;
  gatewayReference?: string;
  recordedAt: string;
}

export interface Difference {
  kind: DifferenceKind;
  provider: string;
  idempotencyKey: string;
  planId?: string;
  capture?: { amount: number; currency: string; gatewayReference: string; capturedAt: string };
  record?: { amount: number; currency: string; recordedAt: string; gatewayReference?: string };
  /** `missing_record`: what we hold under that key, if anything (a record still pending, or failed). */
  recordStatus?: RepaymentStatus;
}

export interface DayWindow {
  date: LocalDate;
  timeZone: string;
  /** The local day: [from, to). */
  from: Date;
  to: Date;
  /** The day with its margin either side: what both sides are read over. */
  readFrom: Date;
  readTo: Date;
}

/** How far either side of the day a counterpart is looked for: the neighbouring day. */
export const RECONCILIATION_MARGIN_MS = 24 * 3_600_000;

export function reconciliationWindow(date: LocalDate, timeZone: string, marginMs = RECONCILIATION_MARGIN_MS): DayWindow {
  const from = zonedInstant(date, '00:00', timeZone);
  const to = zonedInstant(addDays(date, 1), '00:00', timeZone);
  return { date, timeZone, from, to, readFrom: new Date(from.getTime() - marginMs), readTo: new Date(to.getTime() + marginMs) };
}

/**
 * How late a provider lists a day completely: its listing of a local day (in `timeZone`, the
 * provider's own) is whole from `readyAt` (HH:MM) of the next day on. Providers that list in
 * real time (an API over their charges) have none.
 */
export interface ListingLag {
  readyAt: LocalTime;
  timeZone: string;
}

/** When a provider's listing of its own local `day` is complete. */
export function listingReadyAt(day: LocalDate, lag: ListingLag): Date {
  return zonedInstant(addDays(day, 1), lag.readyAt, lag.timeZone);
}

/** When a provider's listing covers the whole reconciled day (its last provider-local day included). */
export function windowListedAt(window: DayWindow, lag: ListingLag): Date {
  return listingReadyAt(localDateOf(new Date(window.to.getTime() - 1), lag.timeZone), lag);
}

/** The local day before the one `now` falls in: the day a scheduled run reconciles. */
export function previousLocalDay(now: Date, timeZone: string): LocalDate {
  return addDays(localDateOf(now, timeZone), -1);
}

/** True when the whole local day is in the past at `now`. */
export function dayIsOver(date: LocalDate, timeZone: string, now: Date): boolean {
  return reconciliationWindow(date, timeZone).to.getTime() <= now.getTime();
}

const within = (iso: string, from: Date, to: Date) => {
  const t = Date.parse(iso);
  return t >= from.getTime() && t < to.getTime();
};
const keyOf = (provider: string, key: string) => `${provider}\u0000${key}`;

/**
 * The differences of one day. `captures` and `records` are what each side holds over
 * [readFrom, readTo) (anything outside is ignored); the result is sorted by provider, kind, key.
 */
export function compareDay(window: DayWindow, captures: readonly CaptureLine[], records: readonly RecordLine[]): Difference[] {
  const inRead = (iso: string) => within(iso, window.readFrom, window.readTo);
  const inDay = (iso: string) => within(iso, window.from, window.to);
  const recordsByKey = new Map<string, RecordLine>();
  for (const r of records) if (inRead(r.recordedAt)) recordsByKey.set(keyOf(r.provider, r.id), r);
  const capturesByKey = new Map<string, CaptureLine>();
  for (const c of captures) if (inRead(c.capturedAt)) capturesByKey.set(keyOf(c.provider, c.idempotencyKey), c);

  const differences: Difference[] = [];
  for (const c of capturesByKey.values()) {
    if (!inDay(c.capturedAt)) continue;
    const capture = { amount: c.amount, currency: c.currency, gatewayReference: c.gatewayReference, capturedAt: c.capturedAt };
    const r = recordsByKey.get(keyOf(c.provider, c.idempotencyKey));
    if (!r) {
      differences.push({ kind: 'missing_record', provider: c.provider, idempotencyKey: c.idempotencyKey, capture });
      continue;
    }
    const record = { amount: r.amount, currency: r.currency, recordedAt: r.recordedAt, ...(r.gatewayReference ? { gatewayReference: r.gatewayReference } : {}) };
    if (r.currency !== c.currency) differences.push({ kind: 'currency_mismatch', provider: c.provider, idempotencyKey: c.idempotencyKey, planId: r.planId, capture, record });
    else if (r.amount !== c.amount) differences.push({ kind: 'amount_mismatch', provider: c.provider, idempotencyKey: c.idempotencyKey, planId: r.planId, capture, record });
  }
  for (const r of recordsByKey.values()) {
    if (!inDay(r.recordedAt) || capturesByKey.has(keyOf(r.provider, r.id))) continue;
    differences.push({
      kind: 'missing_capture',
      provider: r.provider,
      idempotencyKey: r.id,
      planId: r.planId,
      record: { amount: r.amount, currency: r.currency, recordedAt: r.recordedAt, ...(r.gatewayReference ? { gatewayReference: r.gatewayReference } : {}) },
    });
  }
  return differences.sort((a, b) => a.provider.localeCompare(b.provider) || a.kind.localeCompare(b.kind) || a.idempotencyKey.localeCompare(b.idempotencyKey));
}

/** The plan a charge key belongs to: attempt ids are `<planId>:<period>:<n>` or `<planId>:manual:<hash>`. */
export function planIdOfChargeKey(key: string): string | undefined {
  const m = /^([A-Za-z0-9_-]{1,64}):/.exec(key);
  return m ? m[1] : undefined;
}

/** What one day's reconciliation found, as stored per date and served to operators. */
export interface ReconciliationReport {
  date: LocalDate;
  timeZone: string;
  ranAt: string;
  providers: string[];
  /** Captures the providers listed, and succeeded records we hold, within the day itself. */
  captures: number;
  records: number;
  differenceCount: number;
  differences: Difference[];
  /**
   * Providers whose listing of the day was not complete yet (a daily bill published the next
   * morning): neither their captures nor their records are compared, and the day is reconciled
   * again for them later. Absent or empty: the report is final.
   */
  pending?: PendingListing[];
}

/** A provider left out of a report until its listing is ready. */
export interface PendingListing {
  provider: string;
  reason: string;
  /** When the listing is expected to be complete. */
  readyAt: string;
}
