/**
 * An SQS event source like Lambda's: receives a batch, hands the handler a real `SQSEvent`,
 * deletes what succeeded and leaves each reported `batchItemFailure` to come back after its
 * visibility timeout (and, past `maxReceiveCount`, to move to the dead-letter queue).
 */
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '../../shared/adapters/logger.ts';

export type SqsEventHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export class SqsPoller {
  #running = false;
  #loop: Promise<void> | undefined;
  /** Batches being handled now, and those waiting for a free slot (see `concurrency`). */
  #active = 0;
  #waiting: Array<() => void> = [];
  processed = 0;
  failed = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: { url: string; arn: string; name: string },
    private readonly handler: SqsEventHandler,
    private readonly options: {
      batchSize: number;
      logger: Logger;
      idleMs?: number;
      duplicateDelivery?: () => boolean;
      /** Batches handled at once while draining, like concurrent Lambda invocations (default 1). */
      concurrency?: number;
    },
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        const received = await this.pollOnce().catch((err: unknown) => {
          this.options.logger.error('poller failed', { queue: this.queue.name, error: err });
          return 0;
        });
        if (received === 0) await new Promise((r) => setTimeout(r, this.options.idleMs ?? 200));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** Receives and handles one batch; returns how many messages it got. At most `concurrency` at once. */
  async pollOnce(): Promise<number> {
    if (this.#active >= (this.options.concurrency ?? 1)) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active += 1;
    try {
      return await this.#pollOnce();
    } finally {
      this.#active -= 1;
      this.#waiting.shift()?.();
    }
  }

  /** Handles batches (`concurrency` at a time) until the queue has nothing visible left. */
  async drain(): Promise<number> {
    const loops = Array.from({ length: this.options.concurrency ?? 1 }, async () => {
      let total = 0;
      for (;;) {
        const n = await this.pollOnce();
        if (n === 0) return total;
        total += n;
      }
    });
    return (await Promise.all(loops)).reduce((a, b) => a + b, 0);
  }

  async #pollOnce(): Promise<number> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queue.url,
        MaxNumberOfMessages: this.options.batchSize,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return 0;
    const event: SQSEvent = { Records: Messages.map((m) => this.#record(m)) };
    // Chaos: SQS is at-least-once; with duplicate delivery on, two invocations get the same batch.
    const copies = this.options.duplicateDelivery?.() ? 2 : 1;
    const outcomes = await Promise.all(Array.from({ length: copies }, () => this.#invoke(event, Messages)));
    const failedIds = new Set(outcomes.flatMap((ids) => [...ids]));
    const done = Messages.filter((m) => !failedIds.has(m.MessageId!));
    if (done.length > 0) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queue.url,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    this.processed += done.length;
    this.failed += failedIds.size;
    return Messages.length;
  }

  async #invoke(event: SQSEvent, messages: Message[]): Promise<Set<string>> {
    try {
      const result = await this.handler(event);
      return new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      // A thrown handler fails the whole batch, as with Lambda.
      this.options.logger.error('handler threw; the whole batch will be retried', { queue: this.queue.name, error: err });
      return new Set(messages.map((m) => m.MessageId!));
    }
  }

  #record(m: Message): SQSRecord {
    const attrs = m.Attributes ?? {};
    return {
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attrs.ApproximateReceiveCount ?? '1',
        SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
        SenderId: attrs.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attrs.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
          k,
          { dataType: v.DataType ?? 'String', stringValue: v.StringValue, stringListValues: [], binaryListValues: [] },
        ]),
      ),
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.arn,
      awsRegion: 'us-east-1',
    };
  }
}
