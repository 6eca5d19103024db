/**
 * Dead-letter queues for the operations console. Depth from GetQueueAttributes; a look at the
 * messages receives them with a zero visibility timeout (they stay available, nothing moves).
 * Redrive: on AWS, SQS's own move task (StartMessageMoveTask from the dead-letter queue, back to
 * the queues the messages came from); the local emulator has no move task, so there the same
 * port moves them itself (receive, send to the source, delete: ./redrive.ts).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { DEAD_LETTER_SOURCES, type DeadLetterMessage, type DeadLetterQueue, type DeadLetterSource, type DeadLetters, type RedriveResult } from '../../ports/dead-letters.port.ts';
import { redriveDeadLetters } from './redrive.ts';

export interface DeadLetterQueueUrls {
  dlqUrl: string;
  /** The source queue: needed only where messages are moved here (no move task). */
  url?: string;
}

export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: Partial<Record<DeadLetterSource, DeadLetterQueueUrls>>,
    /** `move_task` on AWS; `move_here` where the emulator has no StartMessageMoveTask. */
    private readonly mode: 'move_task' | 'move_here',
  ) {}

  #urls(queue: DeadLetterSource): DeadLetterQueueUrls {
    const urls = this.urls[queue];
    if (!urls) throw new Error(`the dead-letter queue of ${queue} is not configured for this function`);
    return urls;
  }

  async queues(): Promise<DeadLetterQueue[]> {
    return Promise.all(
      DEAD_LETTER_SOURCES.filter((q) => this.urls[q]).map(async (queue) => {
        const { Attributes = {} } = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: this.#urls(queue).dlqUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'QueueArn'],
          }),
        );
        const redrive = this.mode === 'move_task' && Attributes.QueueArn ? await this.#runningTask(Attributes.QueueArn) : undefined;
        return {
          queue,
          depth: Number(Attributes.ApproximateNumberOfMessages ?? 0),
          inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
          ...(redrive ? { redrive } : {}),
        };
      }),
    );
  }

  async #runningTask(dlqArn: string): Promise<DeadLetterQueue['redrive']> {
    const { Results = [] } = await this.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }));
    const task = Results[0];
    if (task?.Status !== 'RUNNING') return undefined;
    return {
      status: task.Status,
      moved: task.ApproximateNumberOfMessagesMoved ?? 0,
      ...(task.ApproximateNumberOfMessagesToMove === undefined ? {} : { toMove: task.ApproximateNumberOfMessagesToMove }),
    };
  }

  async peek(queue: DeadLetterSource, limit: number): Promise<DeadLetterMessage[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#urls(queue).dlqUrl,
        MaxNumberOfMessages: Math.min(10, Math.max(1, limit)),
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    // Handed back at once (an emulator may not honour a zero timeout on the receive itself);
    // per-message failures (already visible again) are reported, not thrown.
    if (Messages.length > 0) {
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#urls(queue).dlqUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
    return Messages.map((m) => ({
      messageId: m.MessageId ?? '',
      body: m.Body ?? '',
      ...(m.Attributes?.SentTimestamp ? { sentAt: new Date(Number(m.Attributes.SentTimestamp)).toISOString() } : {}),
      ...(m.Attributes?.ApproximateReceiveCount ? { receiveCount: Number(m.Attributes.ApproximateReceiveCount) } : {}),
    }));
  }

  async redrive(queue: DeadLetterSource): Promise<RedriveResult> {
    const urls = this.#urls(queue);
    if (this.mode === 'move_here') {
      if (!urls.url) throw new Error(`the source queue of ${queue} is not configured for this function`);
      return { mode: 'moved', moved: await redriveDeadLetters(this.sqs, { dlqUrl: urls.dlqUrl, url: urls.url }) };
    }
    const { Attributes = {} } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: urls.dlqUrl, AttributeNames: ['QueueArn'] }));
    // Without a destination SQS moves each message back to the queue it was dead-lettered from.
    const { TaskHandle } = await this.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: Attributes.QueueArn }));
    return { mode: 'move_task', taskHandle: TaskHandle ?? '' };
  }
}
