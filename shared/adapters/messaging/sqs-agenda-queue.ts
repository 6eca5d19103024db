import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AgendaMessage, AgendaQueue } from '../../ports/messaging.port.ts';
import { sendJsonBatches } from './sqs-batch.ts';

/** Hands claimed agenda actions to the attempt worker through the repayment-attempts queue. */
export class SqsAgendaQueue implements AgendaQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  enqueue(messages: readonly AgendaMessage[]): Promise<void> {
    return sendJsonBatches(this.client, this.queueUrl, messages, 'agenda message(s)');
  }
}
