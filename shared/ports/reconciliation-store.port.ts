import type { LocalDate } from '../domain/calendar.ts';
import type { ReconciliationReport, RecordLine } from '../domain/reconciliation.ts';

/** Our side of reconciliation: succeeded records by provider and time, and the stored day reports. */
export interface ReconciliationStore {
  /** Succeeded records charged at `provider` whose `createdAt` falls in [from, to), read from the sparse index (no scan). */
  succeededRecords(provider: string, from: Date, to: Date): Promise<RecordLine[]>;
  /** Stores the day's report, replacing an earlier run of the same date. */
  saveReport(report: ReconciliationReport): Promise<void>;
  getReport(date: LocalDate): Promise<ReconciliationReport | undefined>;
}
