import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeferredNoticeMessage, NoticeQueue } from '../../ports/notice-queue.port.ts';
import { sendJsonBatches } from './sqs-batch.ts';

/** Hands due deferred notices to the notifier through the notices queue. */
export class SqsNoticeQueue implements NoticeQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  enqueue(messages: readonly DeferredNoticeMessage[]): Promise<void> {
    return sendJsonBatches(this.client, this.queueUrl, messages, 'deferred notice message(s)');
  }
}
