/**
 * Optimistic writes to a plan: build the change from a read, commit it, and on a conflict
 * (the plan changed in between: another installment's payment, a deferral) read again and
 * rebuild. The builder sees fresh data every time, so totals are never computed from a stale
 * snapshot; it returns undefined when, on that data, there is nothing (more) to do.
 */
import { opsCountsOf } from '../domain/ops-metrics.ts';
import { type PlanSummary, summarize } from '../domain/plan.ts';
import type { CommitResult, PlanChange, PlanDetail } from '../ports/plan-repository.port.ts';
import type { Deps } from './deps.ts';

const MAX_TRIES = 5;

export async function commitPlanChange(
  deps: Pick<Deps, 'plans' | 'clock'>,
  planId: string,
  build: (detail: PlanDetail) => PlanChange | undefined,
  first?: PlanDetail,
): Promise<CommitResult | 'nothing'> {
  let detail = first;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    detail ??= await deps.plans.get(planId);
    if (!detail) return 'lost';
    const change = build(detail);
    if (!change) return 'nothing';
    const result = await deps.plans.commit({ ...change, counts: opsCountsOf({ ...change, before: detail }, deps.clock.now()) }, summaryAfter(detail, change));
    if (result !== 'conflict') return result;
    detail = undefined;
  }
  // Five changes to one plan within one commit's time: give way, the caller's retry path takes over.
  return 'conflict';
}

/**
 * The plan's summary once the change is written: the installments read, with the changed ones
 * replaced. The commit holds only if the plan is still at the version read, so this is exact.
 */
export function summaryAfter(detail: PlanDetail, change: PlanChange): PlanSummary {
  const changed = new Map([...change.installments, ...(change.alsoUnlocked ?? [])].map((i) => [i.period, i]));
  return summarize(detail.installments.map((i) => changed.get(i.period) ?? i));
}
