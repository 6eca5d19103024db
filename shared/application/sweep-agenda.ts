/**
 * sweep-agenda — reads what is due on every agenda shard, claims each entry with a conditional
 * update (so overlapping sweeps never enqueue the same action twice) and queues it. A page of
 * entries is claimed in one request (a transaction of conditional updates), and the shards are
 * swept concurrently.
 * Cost grows with the work due, never with the table size: only the agenda index is read.
 * Deferred notices on the agenda are claimed the same way and queued to the notifier.
 */
import type { AgendaMessage } from '../ports/messaging.port.ts';
import type { DeferredNoticeMessage } from '../ports/notice-queue.port.ts';
import type { Deps } from './deps.ts';

/** How long a claim holds before the sweep may claim the entry again (a lost message). */
export const CLAIM_LEASE_MS = 15 * 60_000;
const PAGE = 100;

export interface SweepResult {
  due: number;
  claimed: number;
  alreadyClaimed: number;
}

export async function sweepAgenda(deps: Pick<Deps, 'plans' | 'agendaQueue' | 'clock' | 'ids' | 'settings'> & Partial<Pick<Deps, 'notices' | 'noticeQueue'>>): Promise<SweepResult> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
  const shards = Array.from({ length: deps.settings.agendaShards }, (_, s) => s);
  const perShard = await Promise.all(
    shards.map(async (shard) => {
      const result: SweepResult = { due: 0, claimed: 0, alreadyClaimed: 0 };
      // Claimed entries leave the "due now" range, so each page reads fresh work.
      for (;;) {
        const entries = await deps.plans.findDue(shard, now, PAGE);
        result.due += entries.length;
        // A page is claimed in one go (each entry still on its own condition).
        const claims = entries.map((entry) => ({ entry, claim: deps.ids.next('clm') }));
        const won = claims.length > 0 ? await deps.plans.claimAll(claims, leaseUntil) : [];
        const messages: AgendaMessage[] = claims.filter((_, i) => won[i]).map(({ entry, claim }) => ({ planId: entry.planId, period: entry.period, claim }));
        result.alreadyClaimed += claims.length - messages.length;
        await deps.agendaQueue.enqueue(messages);
        result.claimed += messages.length;
        if (entries.length < PAGE) break;
      }
      if (deps.notices && deps.noticeQueue) await sweepNotices({ notices: deps.notices, noticeQueue: deps.noticeQueue, ids: deps.ids }, shard, now, leaseUntil, result);
      return result;
    }),
  );
  return perShard.reduce((a, b) => ({
    due: a.due + b.due,
    claimed: a.claimed + b.claimed,
    alreadyClaimed: a.alreadyClaimed + b.alreadyClaimed,
  }));
}

/** Deferred notices (SMS held back by quiet hours) due on one shard: claimed and handed to the notifier. */
async function sweepNotices(
  deps: Pick<Deps, 'ids'> & Required<Pick<Deps, 'notices' | 'noticeQueue'>>,
  shard: number,
  now: Date,
  leaseUntil: Date,
  result: SweepResult,
): Promise<void> {
  for (;;) {
    const entries = await deps.notices.findDue(shard, now, PAGE);
    result.due += entries.length;
    const messages: DeferredNoticeMessage[] = [];
    for (const entry of entries) {
      const claim = deps.ids.next('clm');
      if (await deps.notices.claimDue(entry, claim, leaseUntil)) messages.push({ deferredNotice: entry.dedupeKey, claim });
      else result.alreadyClaimed += 1;
    }
    await deps.noticeQueue.enqueue(messages);
    result.claimed += messages.length;
    if (entries.length < PAGE) return;
  }
}
