import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebhookEventRecord, WebhookEventStore, WebhookOutcome, WebhookProvider } from '../../ports/webhook.port.ts';
import { createEntities, type Entities } from '../dynamodb/entities.ts';
import { isConditionFailure } from '../dynamodb/errors.ts';

/**
 * Seven days: far longer than the signature's 5-minute tolerance (an attacker's replay is
 * refused by its stale timestamp after that) and than providers' redelivery windows.
 */
const RETENTION_SECONDS = 7 * 24 * 3600;

export class DynamoWebhookEventStore implements WebhookEventStore {
  readonly #e: Entities;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#e = createEntities(client, tableName);
  }

  async begin(provider: WebhookProvider, eventId: string, bodyHash: string, now: Date): Promise<WebhookEventRecord | undefined> {
    try {
      await this.#e.webhookEvent
        .create({ provider, eventId, bodyHash, status: 'processing', receivedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS })
        .go({ response: 'none' });
      return undefined;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const { data } = await this.#e.webhookEvent.get({ provider, eventId }).go({ consistent: true });
    // Released between our write and this read: another delivery is retrying it right now.
    if (!data) return { status: 'processing', bodyHash, receivedAt: now.toISOString() };
    return data.status === 'processed'
      ? { status: 'processed', bodyHash: data.bodyHash, receivedAt: data.receivedAt, outcome: data.outcome as WebhookOutcome }
      : { status: 'processing', bodyHash: data.bodyHash, receivedAt: data.receivedAt };
  }

  async complete(provider: WebhookProvider, eventId: string, outcome: WebhookOutcome): Promise<void> {
    await this.#e.webhookEvent.patch({ provider, eventId }).set({ status: 'processed', outcome }).go({ response: 'none' });
  }

  async release(provider: WebhookProvider, eventId: string): Promise<void> {
    await this.#e.webhookEvent.delete({ provider, eventId }).go({ response: 'none' });
  }
}
