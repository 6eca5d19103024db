import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS takes at most ten messages per batch. */
const BATCH = 10;

/**
 * Sends JSON messages in batches of ten; throws if SQS refuses any, naming what they were.
 * Callers keep what they sent claimed on the agenda, so a refused message comes back when the
 * claim's lease ends.
 */
export async function sendJsonBatches(client: SQSClient, queueUrl: string, messages: readonly unknown[], what: string): Promise<void> {
  for (let i = 0; i < messages.length; i += BATCH) {
    const chunk = messages.slice(i, i + BATCH);
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
      }),
    );
    if (result.Failed && result.Failed.length > 0) {
      throw new Error(`SQS refused ${result.Failed.length} ${what}: ${result.Failed.map((f) => f.Code).join(', ')}`);
    }
  }
}
