/**
 * The operations counters: written by the plan repository's commit (opsCounterUpdates, in its
 * transaction), read here one UTC date (one query) at a time.
 */

import type { OpsCount, OpsTally } from '../../domain/ops-metrics.ts';
import type { OpsMetricsStore } from '../../ports/ops-metrics.port.ts';
import { createEntities, type Entities, HOUR_NAMES } from './entities.ts';
import type { ItemClient } from './item-client.ts';

/** Items each counter of a date is spread over (by plan), so concurrent commits seldom meet on one. */
export const OPS_COUNTER_SHARDS = 8;

function shardOf(planId: string): number {
  let hash = 0x811c9dc5;
  for (const ch of planId) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % OPS_COUNTER_SHARDS;
}

/** One plan's increments as counter items: one per (UTC date, counter), each with its hours' additions. */
export function opsCounterUpdates(planId: string, counts: readonly OpsCount[]) {
  const items = new Map<string, { utcDate: string; counter: string; shard: number; add: Record<string, number> }>();
  const shard = shardOf(planId);
  for (const c of counts) {
    const utcDate = c.at.slice(0, 10);
    const hour = HOUR_NAMES[Number(c.at.slice(11, 13))]!;
    const key = `${utcDate}#${c.counter}`;
    const item = items.get(key) ?? { utcDate, counter: c.counter, shard, add: {} };
    item.add[hour] = (item.add[hour] ?? 0) + c.by;
    items.set(key, item);
  }
  return [...items.values()];
}

export class DynamoOpsMetricsStore implements OpsMetricsStore {
  readonly #e: Entities;

  constructor(client: ItemClient, tableName: string) {
    this.#e = createEntities(client, tableName);
  }

  async tallies(utcDates: readonly string[]): Promise<OpsTally[]> {
    const pages = await Promise.all(utcDates.map((utcDate) => this.#e.opsCounter.query.byDate({ utcDate }).go({ pages: 'all' })));
    const merged = new Map<string, OpsTally & { hours: number[] }>();
    for (const item of pages.flatMap((p) => p.data)) {
      const key = `${item.utcDate}#${item.counter}`;
      const tally = merged.get(key) ?? { utcDate: item.utcDate, counter: item.counter as OpsTally['counter'], hours: HOUR_NAMES.map(() => 0) };
      HOUR_NAMES.forEach((name, h) => {
        tally.hours[h]! += Number((item as Record<string, unknown>)[name] ?? 0);
      });
      merged.set(key, tally);
    }
    return [...merged.values()];
  }
}
