/**
 * Dead-letter redrive: moves messages from a dead-letter queue back to the queue they came
 * from, once the fault that put them there is fixed — what the console's "Start DLQ redrive"
 * does on AWS, for the local stack and its tests (the emulator has no move task).
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export async function redriveDeadLetters(sqs: SQSClient, from: { dlqUrl: string; url: string }, max = 1000): Promise<number> {
  let moved = 0;
  while (moved < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: from.dlqUrl, MaxNumberOfMessages: Math.min(10, max - moved), WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return moved;
    // Send first, then delete: a crash in between re-sends (consumers are idempotent), never loses.
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: from.url,
        Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '', ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}) })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
    const done = Messages.filter((_, i) => ok.has(i));
    if (done.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: from.dlqUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    moved += done.length;
    if (done.length < Messages.length) throw new Error(`redrive: SQS refused ${Messages.length - done.length} message(s)`);
  }
  return moved;
}
