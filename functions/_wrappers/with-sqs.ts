/**
 * withSqs: a middy SQS handler that validates each record with zod, processes the records
 * concurrently and reports the ones that failed as `batchItemFailures`, so only those are
 * retried (and, after `maxReceiveCount`, land in the dead-letter queue). Each record is processed
 * with a logger whose lines carry its message id as `correlation_id`.
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import type { Logger } from '../../shared/ports/logger.port.ts';

/** Callable with the event alone (tests, the local stack), and a middy handler to add middlewares to. */
export type SqsHandler = ((event: SQSEvent) => Promise<SQSBatchResponse>) & MiddyfiedHandler<SQSEvent, SQSBatchResponse>;

/** A logger that adds `fields` to every line it writes. */
export function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  const emit = (level: keyof Logger) => (message: string, more?: Record<string, unknown>) => logger[level](message, { ...fields, ...more });
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function parseBody(body: string, name: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    // The parser's message quotes the body, which may hold personal data: say only what failed.
    throw new Error(`malformed ${name} message: the body is not JSON (${body.length} characters)`);
  }
}

export function withSqs<S extends z.ZodType>(
  options: { schema: S; logger: Logger; name: string },
  process: (message: z.infer<S>, record: SQSRecord, logger: Logger) => Promise<unknown>,
): SqsHandler {
  const handle = async (event: SQSEvent) =>
    Promise.allSettled(
      event.Records.map(async (record) => {
        const logger = withFields(options.logger, { correlation_id: record.messageId });
        try {
          const parsed = options.schema.safeParse(parseBody(record.body, options.name));
          if (!parsed.success) throw new Error(`malformed ${options.name} message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
          return await process(parsed.data, record, logger);
        } catch (err) {
          logger.error(`${options.name} message failed`, { error: err });
          throw err;
        }
      }),
    );
  return middy(handle).use(sqsPartialBatchFailure({ logger: () => undefined })) as unknown as SqsHandler;
}
