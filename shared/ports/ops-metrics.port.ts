import type { OpsTally } from '../domain/ops-metrics.ts';

/** The operations counters the plan commits keep (see domain/ops-metrics.ts), read back. */
export interface OpsMetricsStore {
  /** Every tally of the given UTC dates. */
  tallies(utcDates: readonly string[]): Promise<OpsTally[]>;
}
