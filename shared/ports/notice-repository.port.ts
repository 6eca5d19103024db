import type { NoticeRecord } from '../domain/notices.ts';

/** The outcomes operators list: notices that did not go out. */
export const NOTICE_OUTCOME_LISTS = ['failed', 'suppressed'] as const;
export type NoticeOutcomeList = (typeof NOTICE_OUTCOME_LISTS)[number];

/** A notice as stored, with the bookkeeping that makes it at-most-once. */
export interface StoredNotice extends NoticeRecord {
  /** While set, one notifier holds the notice and is sending it. */
  lockUntil?: string;
  /** The sweep's claim on a `scheduled` notice. */
  claim?: string;
  /** A reminder is stale (suppressed, never sent late) from this instant: its debit time. */
  staleAfter?: string;
}

/** A `scheduled` notice as the sweep reads it from the agenda index. */
export interface NoticeAgendaEntry {
  dedupeKey: string;
  shard: number;
  nextActionAt: string;
}

export interface NoticeRepository {
  /**
   * Records a notice about to be sent and takes its send lock until `lockUntil`; false when a
   * notice with that dedupe key exists (a duplicate or a redelivery).
   */
  claim(notice: NoticeRecord & { staleAfter?: string }, lockUntil: Date): Promise<boolean>;
  /**
   * Records a `scheduled` notice on the agenda at `notice.sendAt`; false when a notice with
   * that dedupe key exists.
   */
  schedule(notice: NoticeRecord & { sendAt: string; staleAfter?: string }): Promise<boolean>;
  /** Takes the send lock of a `pending` notice released after a provider fault; undefined when not so. */
  retake(dedupeKey: string, lockUntil: Date): Promise<StoredNotice | undefined>;
  /**
   * Takes the send lock of a `scheduled` notice, only for the holder of its current claim; the
   * notice leaves the agenda. Undefined when the claim moved on or the notice is done.
   */
  lockScheduled(dedupeKey: string, claim: string, lockUntil: Date): Promise<StoredNotice | undefined>;
  /** Releases the send lock after a provider fault, so the retry of the message may send it. */
  release(dedupeKey: string, reason: string): Promise<void>;
  /** Puts a notice (back) on the agenda at `at`, as `scheduled`, keeping `claim` for a redelivered message. */
  reschedule(dedupeKey: string, at: Date, reason: string, claim?: string): Promise<void>;
  /** Marks a notice whose sender stopped mid-send (lock expired) as failed; false when it moved on. */
  abandon(dedupeKey: string, now: Date, reason: string): Promise<boolean>;
  get(dedupeKey: string): Promise<StoredNotice | undefined>;
  /** Writes the outcome (`sent`, `failed` or `suppressed`) and drops the lock and agenda entry. */
  save(notice: NoticeRecord): Promise<void>;
  /**
   * The notices whose outcome is `outcome` (failed or suppressed), newest first (by creation;
   * a send abandoned mid-way by when it was abandoned), one index query per page.
   */
  listByOutcome(outcome: NoticeOutcomeList, options: { limit: number; cursor?: string }): Promise<{ notices: NoticeRecord[]; cursor: string | null }>;
  listByCustomer(customerId: string, limit: number): Promise<NoticeRecord[]>;
  /** A page of a customer's notices, newest first; `cursor` continues where the last page ended. */
  pageByCustomer(customerId: string, options: { limit: number; cursor?: string }): Promise<{ notices: NoticeRecord[]; cursor: string | null }>;

  /** Scheduled notices of one agenda shard due at or before `now`, oldest first. */
  findDue(shard: number, now: Date, limit: number): Promise<NoticeAgendaEntry[]>;
  /** Claims a due notice for the sweep (moves its instant to `leaseUntil`), only if it still reads `entry.nextActionAt`. */
  claimDue(entry: NoticeAgendaEntry, claim: string, leaseUntil: Date): Promise<boolean>;
  /** The earliest scheduled notice over all shards (the local stack skips idle sweep ticks with it). */
  earliestDue(): Promise<Date | undefined>;

  /**
   * Counts an SMS to `phone` on the customer's local day `date`, once per dedupe key (a
   * retry is not counted twice). With `limit`, refuses (false) when the day already has that
   * many; without, always counts. Atomic: concurrent senders never overshoot.
   */
  countSms(phone: string, date: string, dedupeKey: string, limit?: number): Promise<boolean>;
  /**
   * `claim` and `countSms` in one atomic write: the notice is recorded with its send lock and
   * the SMS counted, or neither. `exists`: a notice with that dedupe key exists; `limit`: the
   * day's limit is reached (nothing written).
   */
  claimCountingSms(notice: NoticeRecord & { staleAfter?: string }, lockUntil: Date, sms: { phone: string; date: string; limit?: number }): Promise<'claimed' | 'exists' | 'limit'>;
  /** Replaces a notice's recipient and text (personal data) by `erased`; its kind, status and times stay. */
  eraseContent(dedupeKey: string): Promise<void>;
  /** Takes back an SMS counted by `countSms` that was not sent after all. */
  uncountSms(phone: string, date: string, dedupeKey: string): Promise<void>;
}
