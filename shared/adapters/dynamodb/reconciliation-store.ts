/**
 * Reconciliation's data: succeeded repayment records from the sparse `reconciliation` index
 * (partitioned by provider and UTC day, sorted by record time), and one report item per date.
 */

import type { LocalDate } from '../../domain/calendar.ts';
import type { Difference, PendingListing, ReconciliationReport, RecordLine } from '../../domain/reconciliation.ts';
import type { ReconciliationStore } from '../../ports/reconciliation-store.port.ts';
import { createEntities, type Entities } from './entities.ts';
import type { ItemClient } from './item-client.ts';

/** Differences kept on the report item (an item holds at most 400 KB); the count tells them all. */
export const REPORT_DIFFERENCE_LIMIT = 500;

/** The UTC dates [from, to) touches: the index's partitions to read. */
export function utcDaysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t < to.getTime(); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

export class DynamoReconciliationStore implements ReconciliationStore {
  readonly #e: Entities;

  constructor(client: ItemClient, tableName: string) {
    this.#e = createEntities(client, tableName);
  }

  async succeededRecords(provider: string, from: Date, to: Date): Promise<RecordLine[]> {
    const lower = from.toISOString();
    const upper = to.toISOString();
    const pages = await Promise.all(
      utcDaysBetween(from, to).map((reconDay) =>
        this.#e.repayment.query.reconciliation({ reconProvider: provider, reconDay }).between({ createdAt: lower }, { createdAt: upper }).go({ pages: 'all' }),
      ),
    );
    return pages
      .flatMap((p) => p.data)
      .filter((r) => r.status === 'succeeded' && r.createdAt >= lower && r.createdAt < upper)
      .map((r) => ({
        provider,
        id: r.id,
        planId: r.planId,
        amount: r.amount,
        currency: r.currency,
        recordedAt: r.createdAt,
        ...(r.gatewayReference ? { gatewayReference: r.gatewayReference } : {}),
      }));
  }

  async saveReport(report: ReconciliationReport): Promise<void> {
    await this.#e.reconciliationReport
      .put({
        date: report.date,
        timeZone: report.timeZone,
        ranAt: report.ranAt,
        providers: report.providers,
        captures: report.captures,
        records: report.records,
        differenceCount: report.differenceCount,
        differences: JSON.stringify(report.differences.slice(0, REPORT_DIFFERENCE_LIMIT)),
        ...(report.pending?.length ? { pending: JSON.stringify(report.pending) } : {}),
      })
      .go({ response: 'none' });
  }

  async getReport(date: LocalDate): Promise<ReconciliationReport | undefined> {
    const { data } = await this.#e.reconciliationReport.get({ date }).go();
    if (!data) return undefined;
    return {
      date: data.date,
      timeZone: data.timeZone,
      ranAt: data.ranAt,
      providers: data.providers,
      captures: data.captures,
      records: data.records,
      differenceCount: data.differenceCount,
      differences: JSON.parse(data.differences) as Difference[],
      ...(data.pending ? { pending: JSON.parse(data.pending) as PendingListing[] } : {}),
    };
  }
}
