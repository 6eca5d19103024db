/**
 * withSqs: a middy SQS handler that validates each record with zod, processes the records
 * concurrently and reports the ones that failed as `batchItemFailures`, so only those are
 * retried (and, after `maxReceiveCount`, land in the dead-letter queue).
 */
import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import type { Logger } from '../../shared/adapters/logger.ts';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export function withSqs<S extends z.ZodType>(
  options: { schema: S; logger: Logger; name: string },
  process: (message: z.infer<S>, record: SQSRecord) => Promise<unknown>,
): SqsHandler {
  const handle = async (event: SQSEvent) =>
    Promise.allSettled(
      event.Records.map(async (record) => {
        try {
          const parsed = options.schema.safeParse(JSON.parse(record.body));
          if (!parsed.success) throw new Error(`malformed ${options.name} message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
          return await process(parsed.data, record);
        } catch (err) {
          options.logger.error(`${options.name} message failed`, { messageId: record.messageId, error: err });
          throw err;
        }
      }),
    );
  return middy(handle).use(sqsPartialBatchFailure({ logger: () => undefined })) as unknown as SqsHandler;
}
