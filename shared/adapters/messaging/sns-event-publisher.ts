import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { BillingEvent } from '../../domain/events.ts';
import type { EventPublisher } from '../../ports/messaging.port.ts';

const BATCH = 10;

/** Publishes billing events; `type` is a message attribute so subscriptions can filter on it. */
export class SnsEventPublisher implements EventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(events: readonly BillingEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      const chunk = events.slice(i, i + BATCH);
      const result = await this.client.send(
        new PublishBatchCommand({
          TopicArn: this.topicArn,
          PublishBatchRequestEntries: chunk.map((e, j) => ({
            Id: String(j),
            Message: JSON.stringify(e),
            MessageAttributes: { type: { DataType: 'String', StringValue: e.type } },
          })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        throw new Error(`SNS refused ${result.Failed.length} event(s): ${result.Failed.map((f) => f.Code).join(', ')}`);
      }
    }
  }
}
