import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeferredNoticeMessage, NoticeQueue } from '../../ports/notice-queue.port.ts';

const BATCH = 10;

/** Hands due deferred notices to the notifier through the notices queue. */
export class SqsNoticeQueue implements NoticeQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: readonly DeferredNoticeMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += BATCH) {
      const chunk = messages.slice(i, i + BATCH);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        // The claims stay on the agenda and come back when their lease ends; surface the fault.
        throw new Error(`SQS refused ${result.Failed.length} deferred notice message(s): ${result.Failed.map((f) => f.Code).join(', ')}`);
      }
    }
  }
}
