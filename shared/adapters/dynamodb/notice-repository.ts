import { createHmac } from 'node:crypto';
import { DEFAULT_RETENTION, expiresAt, type Retention } from '../../config/retention.ts';
import { AGENDA_SHARDS } from '../../config/table.ts';
import { ERASED } from '../../domain/customer.ts';
import type { NoticeRecord } from '../../domain/notices.ts';
import type { NoticeAgendaEntry, NoticeOutcomeList, NoticeRepository, StoredNotice } from '../../ports/notice-repository.port.ts';
import { withClientCursor } from './cursor.ts';
import { createEntities, createSmsDayEntity, type Entities } from './entities.ts';
import { isConditionFailure } from './errors.ts';
import type { ItemClient } from './item-client.ts';
import { Service } from './table-model.ts';

/** Stable agenda shard of a notice (FNV-1a of its dedupe key). */
export function noticeShardOf(dedupeKey: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (const ch of dedupeKey) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/**
 * The day counter keeps no phone number, only an HMAC of it under a secret key: a bare hash of
 * a phone number is reversed by hashing every number of the plan (about 10^11 in China).
 */
function phoneHash(key: string | undefined, phone: string): string {
  if (key === undefined) throw new Error('SMS_COUNTER_KEY is not configured: the SMS day counter needs its HMAC key');
  return createHmac('sha256', key).update(`repayflow-sms-day:${phone}`).digest('hex').slice(0, 32);
}

/** Items DynamoDB takes in one BatchWriteItem. */
const BATCH_WRITE_LIMIT = 25;
/** How long an outcome waits for others to share its write. */
const SAVE_WINDOW_MS = 10;

/** An SMS day counter outlives its local day (in any zone) and then expires. */
const SMS_DAY_TTL_SECONDS = 3 * 86_400;

const PUBLIC_KEYS = ['dedupeKey', 'customerId', 'planId', 'kind', 'channel', 'to', 'body', 'status', 'reason', 'createdAt', 'sendAt', 'sentAt'] as const;
const STORED_KEYS = [...PUBLIC_KEYS, 'lockUntil', 'claim', 'staleAfter'] as const;

function pick<T>(item: object, keys: readonly string[]): T {
  const source = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out as T;
}

const toStored = (item: object): StoredNotice => pick<StoredNotice>(item, STORED_KEYS);
const toRecord = (item: object): NoticeRecord => pick<NoticeRecord>(item, PUBLIC_KEYS);

/** The keys of the operators' list of notices that did not go out, written with the outcome itself. */
function outcomeKeys(outcome: NoticeOutcomeList, at: string, dedupeKey: string): { outcomeList: string; outcomeAt: string } {
  return { outcomeList: outcome, outcomeAt: `${at}#${dedupeKey}` };
}

async function conditional<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (err) {
    if (isConditionFailure(err)) return undefined;
    throw err;
  }
}

export class DynamoNoticeRepository implements NoticeRepository {
  readonly #e: Entities;
  readonly #smsDay: ReturnType<typeof createSmsDayEntity>;
  readonly #shards: number;
  /** The notice and the SMS day counter, for writes that take both at once. */
  readonly #sending: Service<{ notice: Entities['notice']; smsDay: ReturnType<typeof createSmsDayEntity> }>;
  readonly #phoneKey: string | undefined;
  readonly #retentionDays: number;

  /**
   * `phoneKey`: the HMAC key of the per-phone SMS day counter (only the notifier counts SMS);
   * `retention.notices`: days a notice is kept after it was created (its TTL, set on every write).
   */
  constructor(client: ItemClient, tableName: string, shards: number = AGENDA_SHARDS, phoneKey?: string, retention: Pick<Retention, 'notices'> = DEFAULT_RETENTION) {
    this.#e = createEntities(client, tableName);
    this.#smsDay = createSmsDayEntity(client, tableName);
    this.#shards = shards;
    this.#sending = new Service({ notice: this.#e.notice, smsDay: this.#smsDay });
    this.#phoneKey = phoneKey;
    this.#retentionDays = retention.notices;
  }

  /** A notice as written: the record and its TTL, counted from when the notice was created. */
  #kept<T extends NoticeRecord>(notice: T): T & { expiresAt: number } {
    return { ...notice, expiresAt: expiresAt(notice.createdAt, this.#retentionDays) };
  }

  async claim(notice: NoticeRecord & { staleAfter?: string }, lockUntil: Date): Promise<boolean> {
    const created = await conditional(() => this.#e.notice.create({ ...this.#kept(notice), lockUntil: lockUntil.toISOString() }).go({ response: 'none' }));
    return created !== undefined;
  }

  async schedule(notice: NoticeRecord & { sendAt: string; staleAfter?: string }): Promise<boolean> {
    const agenda = { agendaShard: noticeShardOf(notice.dedupeKey, this.#shards), nextActionAt: notice.sendAt };
    const created = await conditional(() => this.#e.notice.create({ ...this.#kept(notice), ...agenda }).go({ response: 'none' }));
    return created !== undefined;
  }

  async retake(dedupeKey: string, lockUntil: Date): Promise<StoredNotice | undefined> {
    const result = await conditional(() =>
      this.#e.notice
        .patch({ dedupeKey })
        .set({ lockUntil: lockUntil.toISOString() })
        .where((a, op) => `${op.eq(a.status, 'pending')} AND ${op.notExists(a.lockUntil)}`)
        .go({ response: 'all_new' }),
    );
    return result ? toStored(result.data) : undefined;
  }

  async lockScheduled(dedupeKey: string, claim: string, lockUntil: Date): Promise<StoredNotice | undefined> {
    const result = await conditional(() =>
      this.#e.notice
        .patch({ dedupeKey })
        .set({ status: 'pending', lockUntil: lockUntil.toISOString() })
        .remove(['agendaShard', 'nextActionAt'])
        .where((a, op) => `${op.eq(a.status, 'scheduled')} AND ${op.eq(a.claim, claim)}`)
        .go({ response: 'all_new' }),
    );
    return result ? toStored(result.data) : undefined;
  }

  async release(dedupeKey: string, reason: string): Promise<void> {
    await conditional(() =>
      this.#e.notice
        .patch({ dedupeKey })
        .set({ reason })
        .remove(['lockUntil'])
        .where((a, op) => op.eq(a.status, 'pending'))
        .go({ response: 'none' }),
    );
  }

  async reschedule(dedupeKey: string, at: Date, reason: string, claim?: string): Promise<void> {
    const nextActionAt = at.toISOString();
    await conditional(() =>
      this.#e.notice
        .patch({ dedupeKey })
        .set({ status: 'scheduled', sendAt: nextActionAt, reason, agendaShard: noticeShardOf(dedupeKey, this.#shards), nextActionAt, ...(claim ? { claim } : {}) })
        .remove(claim ? ['lockUntil'] : ['lockUntil', 'claim'])
        .where((a, op) => op.eq(a.status, 'pending'))
        .go({ response: 'none' }),
    );
  }

  async abandon(dedupeKey: string, now: Date, reason: string): Promise<boolean> {
    const result = await conditional(() =>
      this.#e.notice
        .patch({ dedupeKey })
        .set({ status: 'failed', reason, ...outcomeKeys('failed', now.toISOString(), dedupeKey) })
        .remove(['lockUntil'])
        .where((a, op) => `${op.eq(a.status, 'pending')} AND ${op.lt(a.lockUntil, now.toISOString())}`)
        .go({ response: 'none' }),
    );
    return result !== undefined;
  }

  async get(dedupeKey: string): Promise<StoredNotice | undefined> {
    const { data } = await this.#e.notice.get({ dedupeKey }).go();
    return data ? toStored(data) : undefined;
  }

  /**
   * A put of the public record drops the lock, the claim and the agenda entry. Outcomes saved
   * within SAVE_WINDOW_MS of each other (the notices of one SQS batch, sent concurrently) go
   * out in one BatchWriteItem; each promise settles when its own record is written.
   */
  save(notice: NoticeRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      const record = toRecord(notice);
      const listed = record.status === 'failed' || record.status === 'suppressed' ? outcomeKeys(record.status, record.createdAt, record.dedupeKey) : {};
      this.#saving.push({ item: { ...this.#kept(record), ...listed }, resolve, reject });
      if (this.#saving.length >= BATCH_WRITE_LIMIT) void this.#writeSaved();
      else this.#saveTimer ??= setTimeout(() => void this.#writeSaved(), SAVE_WINDOW_MS);
    });
  }

  #saving: Array<{ item: NoticeRecord; resolve: () => void; reject: (err: unknown) => void }> = [];
  #saveTimer: NodeJS.Timeout | undefined;

  async #writeSaved(): Promise<void> {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    const batch = this.#saving.splice(0);
    // Puts replace whole items, so of two outcomes for one notice the later one is what sequential puts would leave.
    const latest = [...new Map(batch.map((b) => [b.item.dedupeKey, b.item])).values()];
    try {
      if (latest.length === 1) await this.#e.notice.put(latest[0]!).go({ response: 'none' });
      else {
        const { unprocessed } = await this.#e.notice.put(latest).go();
        // Throttled leftovers are written one by one.
        await Promise.all(unprocessed.map((key) => this.#e.notice.put(latest.find((n) => n.dedupeKey === key.dedupeKey)!).go({ response: 'none' })));
      }
      for (const b of batch) b.resolve();
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }

  async listByOutcome(outcome: NoticeOutcomeList, options: { limit: number; cursor?: string }): Promise<{ notices: NoticeRecord[]; cursor: string | null }> {
    const page = await withClientCursor(options.cursor, (cursor) => this.#e.notice.query.outcome({ outcomeList: outcome }).go({ order: 'desc', limit: options.limit, cursor }));
    return { notices: page.data.map(toRecord), cursor: page.cursor };
  }

  async listByCustomer(customerId: string, limit: number): Promise<NoticeRecord[]> {
    const { data } = await this.#e.notice.query.byCustomer({ customerId }).go({ order: 'desc', limit });
    return data.map(toRecord);
  }

  async pageByCustomer(customerId: string, options: { limit: number; cursor?: string }): Promise<{ notices: NoticeRecord[]; cursor: string | null }> {
    const page = await withClientCursor(options.cursor, (cursor) => this.#e.notice.query.byCustomer({ customerId }).go({ order: 'desc', limit: options.limit, cursor }));
    return { notices: page.data.map(toRecord), cursor: page.cursor };
  }

  async findDue(shard: number, now: Date, limit: number): Promise<NoticeAgendaEntry[]> {
    const { data } = await this.#e.notice.query
      .agenda({ agendaShard: shard })
      .lte({ nextActionAt: now.toISOString() })
      .go({ limit, attributes: ['dedupeKey', 'nextActionAt'] });
    return data.map((d) => ({ dedupeKey: d.dedupeKey, shard, nextActionAt: d.nextActionAt! }));
  }

  async claimDue(entry: NoticeAgendaEntry, claim: string, leaseUntil: Date): Promise<boolean> {
    const result = await conditional(() =>
      this.#e.notice
        .patch({ dedupeKey: entry.dedupeKey })
        .set({ claim, agendaShard: entry.shard, nextActionAt: leaseUntil.toISOString() })
        .where((a, op) => `${op.eq(a.nextActionAt, entry.nextActionAt)} AND ${op.eq(a.status, 'scheduled')}`)
        .go({ response: 'none' }),
    );
    return result !== undefined;
  }

  async earliestDue(): Promise<Date | undefined> {
    const heads = await Promise.all(
      Array.from({ length: this.#shards }, (_, shard) => this.#e.notice.query.agenda({ agendaShard: shard }).go({ limit: 1, attributes: ['nextActionAt'] })),
    );
    const instants = heads.flatMap((h) => h.data.map((d) => d.nextActionAt!)).sort();
    return instants[0] === undefined ? undefined : new Date(instants[0]);
  }

  async countSms(phone: string, date: string, dedupeKey: string, limit?: number): Promise<boolean> {
    const update = this.#smsDay
      .update({ phoneHash: phoneHash(this.#phoneKey, phone), date })
      .add({ noticeKeys: [dedupeKey] })
      .set({ expiresAt: Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + SMS_DAY_TTL_SECONDS });
    if (limit === undefined) {
      await update.go({ response: 'none' });
      return true;
    }
    // Counted already (a retry), or still under the limit: one atomic conditional ADD. The
    // limit is a number placeholder, typed by a number attribute of the entity.
    const counted = await conditional(() =>
      update
        .where((a, op) => `${op.notExists(a.noticeKeys)} OR ${op.contains(a.noticeKeys, dedupeKey)} OR ${op.size(a.noticeKeys)} < ${op.value(a.expiresAt, limit)}`)
        .go({ response: 'none' }),
    );
    return counted !== undefined;
  }

  async claimCountingSms(
    notice: NoticeRecord & { staleAfter?: string },
    lockUntil: Date,
    sms: { phone: string; date: string; limit?: number },
  ): Promise<'claimed' | 'exists' | 'limit'> {
    const { limit } = sms;
    const result = await this.#sending.transaction
      .write(({ notice: n, smsDay }) => {
        const count = smsDay
          .update({ phoneHash: phoneHash(this.#phoneKey, sms.phone), date: sms.date })
          .add({ noticeKeys: [notice.dedupeKey] })
          .set({ expiresAt: Math.floor(Date.parse(`${sms.date}T00:00:00Z`) / 1000) + SMS_DAY_TTL_SECONDS });
        return [
          n.create({ ...this.#kept(notice), lockUntil: lockUntil.toISOString() }).commit(),
          // The same condition as countSms: counted already, or still under the limit.
          (limit === undefined
            ? count
            : count.where(
                (a, op) => `${op.notExists(a.noticeKeys)} OR ${op.contains(a.noticeKeys, notice.dedupeKey)} OR ${op.size(a.noticeKeys)} < ${op.value(a.expiresAt, limit)}`,
              )
          ).commit(),
        ];
      })
      .go();
    if (!result.canceled) return 'claimed';
    const [claim, count] = (result.data as ReadonlyArray<{ code: string }>).map((r) => r.code);
    if (claim === 'ConditionalCheckFailed') return 'exists';
    if (count === 'ConditionalCheckFailed') return 'limit';
    throw new Error(`claiming notice ${notice.dedupeKey} was cancelled (${claim}, ${count})`);
  }

  async eraseContent(dedupeKey: string): Promise<void> {
    await conditional(() => this.#e.notice.patch({ dedupeKey }).set({ to: ERASED, body: ERASED }).go({ response: 'none' }));
  }

  async uncountSms(phone: string, date: string, dedupeKey: string): Promise<void> {
    await conditional(() =>
      this.#smsDay
        .patch({ phoneHash: phoneHash(this.#phoneKey, phone), date })
        .delete({ noticeKeys: [dedupeKey] })
        .go({ response: 'none' }),
    );
  }
}
