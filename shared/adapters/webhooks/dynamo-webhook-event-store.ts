import { DEFAULT_RETENTION } from '../../config/retention.ts';
import type { IdempotencyStore } from '../../ports/idempotency.port.ts';
import type { WebhookEventRecord, WebhookEventStore, WebhookOutcome, WebhookProvider } from '../../ports/webhook.port.ts';
import { DynamoIdempotencyStore } from '../dynamodb/idempotency-store.ts';
import type { ItemClient } from '../dynamodb/item-client.ts';

const scopeOf = (provider: WebhookProvider) => `webhook#${provider}`;

/**
 * The webhook event log on the one idempotency store: an event in processing holds its key for
 * the store's lease only, so a function that died mid-event does not refuse the provider's
 * redeliveries: the first one after the lease processes it.
 */
export class IdempotentWebhookEventStore implements WebhookEventStore {
  readonly #retentionSeconds: number;

  /**
   * `retentionDays` (RETENTION_DAYS `webhookEvents`, default 90): far longer than the signature's
   * 5-minute tolerance (an attacker's replay is refused by its stale timestamp after that) and
   * than providers' redelivery windows; the log of what a provider said lasts a quarter.
   */
  constructor(
    private readonly store: IdempotencyStore,
    retentionDays: number = DEFAULT_RETENTION.webhookEvents,
  ) {
    this.#retentionSeconds = retentionDays * 86_400;
  }

  async begin(provider: WebhookProvider, eventId: string, bodyHash: string, now: Date): Promise<WebhookEventRecord | undefined> {
    const seen = await this.store.begin(scopeOf(provider), eventId, bodyHash, now, { retentionSeconds: this.#retentionSeconds });
    if (!seen) return undefined;
    return seen.status === 'completed'
      ? { status: 'processed', bodyHash: seen.requestHash, receivedAt: seen.createdAt, outcome: seen.response as WebhookOutcome }
      : { status: 'processing', bodyHash: seen.requestHash, receivedAt: seen.createdAt };
  }

  complete(provider: WebhookProvider, eventId: string, outcome: WebhookOutcome): Promise<void> {
    return this.store.complete(scopeOf(provider), eventId, 200, outcome);
  }

  release(provider: WebhookProvider, eventId: string): Promise<void> {
    return this.store.release(scopeOf(provider), eventId);
  }
}

/** The webhook event log in the table's idempotency records. */
export class DynamoWebhookEventStore extends IdempotentWebhookEventStore {
  constructor(client: ItemClient, tableName: string, retention = DEFAULT_RETENTION) {
    super(new DynamoIdempotencyStore(client, tableName, retention.idempotency), retention.webhookEvents);
  }
}
