import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../../ports/idempotency.port.ts';
import { createEntities, type Entities } from './entities.ts';
import { isConditionFailure } from './errors.ts';

/** Keys are kept for a day, like the payment APIs clients know. */
const RETENTION_SECONDS = 24 * 3600;

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
    return data.status === 'completed'
      ? { status: 'completed', requestHash: data.requestHash, statusCode: data.statusCode ?? 200, response: data.response ?? '' }
      : { status: 'in_progress', requestHash: data.requestHash };
  }

  async complete(scope: string, key: string, statusCode: number, response: string): Promise<void> {
    await this.#e.idempotency.patch({ scope, key }).set({ status: 'completed', statusCode, response }).go({ response: 'none' });
  }

  async release(scope: string, key: string): Promise<void> {
    await this.#e.idempotency.delete({ scope, key }).go({ response: 'none' });
  }
}
