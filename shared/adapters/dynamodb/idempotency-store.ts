import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../../ports/idempotency.port.ts';
import { createEntities, type Entities } from './entities.ts';
import { isConditionFailure } from './errors.ts';

/** Keys are kept for a day, like the payment APIs clients know. */
const RETENTION_SECONDS = 24 * 3600;
/**
 * A request still "in progress" after this long died with its function (the API's timeout is
 * 15 s); a retry with the same request takes the key over and runs again. Every operation
 * behind a key is safe to re-run: charges reuse a gateway key derived from it, plans an id.
 */
export const IN_PROGRESS_LEASE_MS = 60_000;

export class DynamoIdempotencyStore implements IdempotencyStore {
  readonly #e: Entities;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#e = createEntities(client, tableName);
  }

  async begin(scope: string, key: string, requestHash: string, now: Date): Promise<IdempotencyRecord | undefined> {
    try {
      await this.#e.idempotency
        .create({
          scope,
          key,
          requestHash,
          status: 'in_progress',
          createdAt: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
        })
        .go({ response: 'none' });
      return undefined;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const { data } = await this.#e.idempotency.get({ scope, key }).go({ consistent: true });
    if (!data) return { status: 'in_progress', requestHash };
    if (data.status === 'completed') {
      return { status: 'completed', requestHash: data.requestHash, statusCode: data.statusCode ?? 200, response: data.response ?? '' };
    }
    const abandoned = new Date(data.createdAt).getTime() + IN_PROGRESS_LEASE_MS < now.getTime();
    if (abandoned && data.requestHash === requestHash && (await this.#takeOver(scope, key, data.createdAt, now))) return undefined;
    return { status: 'in_progress', requestHash: data.requestHash };
  }

  /** Takes over an abandoned reservation; only one retry can win it. */
  async #takeOver(scope: string, key: string, seenCreatedAt: string, now: Date): Promise<boolean> {
    try {
      await this.#e.idempotency
        .patch({ scope, key })
        .set({ createdAt: now.toISOString() })
        .where((a, op) => `${op.eq(a.status, 'in_progress')} AND ${op.eq(a.createdAt, seenCreatedAt)}`)
        .go({ response: 'none' });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async complete(scope: string, key: string, statusCode: number, response: string): Promise<void> {
    await this.#e.idempotency.patch({ scope, key }).set({ status: 'completed', statusCode, response }).go({ response: 'none' });
  }

  async release(scope: string, key: string): Promise<void> {
    await this.#e.idempotency.delete({ scope, key }).go({ response: 'none' });
  }
}
