import { DEFAULT_RETENTION } from '../../config/retention.ts';
import type { IdempotencyRecord, IdempotencyStore } from '../../ports/idempotency.port.ts';
import { maskPii, replacer } from '../logger.ts';
import { createEntities, type Entities } from './entities.ts';
import { isConditionFailure } from './errors.ts';
import { type ItemClient, refusedItem } from './item-client.ts';
/**
 * A request or event still "in progress" after this long died with its function (the API's
 * timeout is 15 s); a retry of the same request takes the key over and runs again. Every
 * operation behind a key is safe to re-run: charges reuse a gateway key derived from it, plans
 * an id, webhook results are hints that trigger a status query.
 */
export const IN_PROGRESS_LEASE_MS = 60_000;

/**
 * One conditional put reserves a key (after Powertools' DynamoDB persistence layer): its
 * condition admits a missing key, an expired record (TTL deletes late) or an in-progress record
 * of the same request whose lease ran out, and a refusal returns the record that holds the key
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), so a replay needs no second read.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  readonly #e: Entities;
  readonly #retentionSeconds: number;

  /** `retentionDays`: how long a key is kept (RETENTION_DAYS `idempotency`); a caller may ask for longer per key. */
  constructor(
    private readonly client: ItemClient,
    tableName: string,
    retentionDays: number = DEFAULT_RETENTION.idempotency,
  ) {
    this.#e = createEntities(client, tableName);
    this.#retentionSeconds = retentionDays * 86_400;
  }

  async begin(scope: string, key: string, requestHash: string, now: Date, options: { retentionSeconds?: number } = {}): Promise<IdempotencyRecord | undefined> {
    const nowMs = now.getTime();
    const nowSeconds = Math.floor(nowMs / 1000);
    const params = this.#e.idempotency
      .put({
        scope,
        key,
        requestHash,
        status: 'in_progress',
        createdAt: now.toISOString(),
        leaseUntil: nowMs + IN_PROGRESS_LEASE_MS,
        expiresAt: nowSeconds + (options.retentionSeconds ?? this.#retentionSeconds),
      })
      .where(
        (a, op) =>
          `${op.notExists(a.requestHash)} OR ${op.lt(a.expiresAt, nowSeconds)} OR (${op.eq(a.status, 'in_progress')} AND ${op.lt(a.leaseUntil, nowMs)} AND ${op.eq(a.requestHash, requestHash)})`,
      )
      .params();
    try {
      await this.client.put({ ...params, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      return undefined;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const old = refusedItem(err);
      // The condition only fails against an existing item, which ALL_OLD returns.
      if (!old) throw new Error(`idempotency key ${scope}/${key} refused without its record`, { cause: err });
      const { data } = this.#e.idempotency.parse({ Item: old });
      if (!data) throw new Error(`idempotency key ${scope}/${key} holds an unreadable record`, { cause: err });
      return data.status === 'completed'
        ? { status: 'completed', requestHash: data.requestHash, createdAt: data.createdAt, statusCode: data.statusCode ?? 200, response: data.response ?? '' }
        : { status: 'in_progress', requestHash: data.requestHash, createdAt: data.createdAt };
    }
  }

  /** The response is kept with phone numbers and email addresses masked: a replay shows them masked. */
  async complete(scope: string, key: string, statusCode: number, response: string): Promise<void> {
    await this.#e.idempotency
      .patch({ scope, key })
      .set({ status: 'completed', statusCode, response: withoutContactDetails(response) })
      .go({ response: 'none' });
  }

  async release(scope: string, key: string): Promise<void> {
    await this.#e.idempotency.delete({ scope, key }).go({ response: 'none' });
  }
}

/**
 * A stored response keeps no full phone number or email address: JSON fields that hold a
 * recipient (`phone`, `email`, `to` …) are masked by name, and anything that looks like a
 * number or an address is masked wherever it is (the log masker's rules).
 */
export function withoutContactDetails(response: string): string {
  let text = response;
  try {
    text = JSON.stringify(JSON.parse(response), replacer);
  } catch {
    // Not JSON (a webhook outcome, an empty body): the pattern masking below still applies.
  }
  return maskPii(text);
}
