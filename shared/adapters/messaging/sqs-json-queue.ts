import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS takes at most ten messages per batch. */
const BATCH = 10;

/**
 * One queue of JSON messages: implements every port that hands messages to a consumer (the
 * agenda's repayment attempts, the notifier's deferred notices). Sends in batches of ten and
 * throws if SQS refuses any, naming what they were; callers keep what they sent claimed on the
 * agenda, so a refused message comes back when the claim's lease ends.
 */
export class SqsJsonQueue<M> {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    /** What the messages are, for errors: `agenda message(s)`. */
    private readonly what: string,
  ) {}

  async enqueue(messages: readonly M[]): Promise<void> {
    for (let i = 0; i < messages.length; i += BATCH) {
      const chunk = messages.slice(i, i + BATCH);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        throw new Error(`SQS refused ${result.Failed.length} ${this.what}: ${result.Failed.map((f) => f.Code).join(', ')}`);
      }
    }
  }
}
