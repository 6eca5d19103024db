import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { maskPii } from '../../shared/adapters/logger.ts';
import { powertoolsLogger, powertoolsMetrics } from '../../shared/adapters/powertools.ts';

let lines: string[];
beforeEach(() => {
  lines = [];
  // Powertools writes warnings and errors to stderr, the rest (EMF included) to stdout.
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk).trim());
      return true;
    });
});
afterEach(() => vi.restoreAllMocks());

const json = () => lines.filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('Function: maskPii', () => {
  it('leaves ids and UUIDs whole, even where their digits look like a number', () => {
    for (const text of ['"messageId":"059a1843a3-1234-5678-9012-1843a3bc1234"', 'evt_12345678901234', '2e1424d4-1234-5678-9012-345678901234', 'pi_3Q1234567890abcdef']) {
      expect(maskPii(text)).toBe(text);
    }
  });
});

describe('Function: powertoolsLogger', () => {
  it('writes one masked JSON line with the service, stage and correlation id', () => {
    // Prepare
    const { logger, powertools } = powertoolsLogger({ service: 'notifier', stage: 'prod', level: 'info' });
    powertools.setCorrelationId('2e1424d4-1234-5678-9012-345678901234');

    // Act
    logger.error('notice failed', { phone: '+8613912345678', error: new Error('SNS refused 13912345678') });
    logger.debug('not written');

    // Assess
    const [entry, ...rest] = json();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      level: 'error',
      service: 'notifier',
      stage: 'prod',
      message: 'notice failed',
      phone: '****5678',
      correlation_id: '2e1424d4-1234-5678-9012-345678901234',
    });
    expect(JSON.stringify(entry)).not.toContain('13912345678');
  });
});

describe('Function: powertoolsMetrics', () => {
  it('publishes one EMF document per invocation with the service and stage dimensions', () => {
    // Prepare
    const { metrics, publish } = powertoolsMetrics({ service: 'attempt-worker', stage: 'staging' });

    // Act
    metrics.count('AttemptsMade', 1);
    metrics.count('AttemptsMade', 1);
    metrics.count('RepaymentsSucceeded', 1);
    metrics.count('RepaymentsFailed', 0);
    publish();
    publish();

    // Assess: the second publish has nothing to write.
    const docs = json();
    expect(docs).toHaveLength(1);
    const doc = docs[0] as { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } } & Record<string, unknown>;
    expect(doc._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Repayflow', Dimensions: [['service', 'stage']] });
    expect(doc._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name).sort()).toEqual(['AttemptsMade', 'RepaymentsSucceeded']);
    expect(doc).toMatchObject({ service: 'attempt-worker', stage: 'staging', AttemptsMade: [1, 1], RepaymentsSucceeded: 1 });
  });
});
