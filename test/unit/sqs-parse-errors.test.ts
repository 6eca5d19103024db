/**
 * A message that is not JSON fails alone (partial batch failure) and its body is never echoed:
 * a parser's message quotes the text it choked on, which may hold a phone number or a name.
 */
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { withSqs } from '../../functions/_wrappers/with-sqs.ts';
import { createLogger } from '../../shared/adapters/logger.ts';

const record = (messageId: string, body: string) => ({ messageId, body }) as SQSEvent['Records'][number];

describe('Wrapper: withSqs', () => {
  it('fails a body that is not JSON without writing any of it to the log', async () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', service: 'test', write: (line) => lines.push(line) });
    const processed: unknown[] = [];
    const handler = withSqs({ schema: z.object({ planId: z.string() }), logger, name: 'agenda' }, async (message) => processed.push(message));
    const secret = '{"name":"韩梅梅","note":"call 13912345678 about KYC-7f3a"';

    // Act
    const result = await handler({ Records: [record('m-bad', secret), record('m-good', '{"planId":"plan_1"}')] } as SQSEvent);

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-bad' }]);
    expect(processed).toEqual([{ planId: 'plan_1' }]);
    const log = lines.join('\n');
    expect(log).toContain('not JSON');
    expect(log).toContain('m-bad');
    for (const part of ['韩梅梅', '5678', 'KYC-7f3a', 'note']) expect(log).not.toContain(part);
  });
});
