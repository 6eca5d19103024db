import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { bindQueue, type DeployedQueue, MIN_VISIBILITY_TO_TIMEOUT_RATIO } from '../../infra/aws/constructs/bind.ts';
import { RepayflowFunction } from '../../infra/aws/constructs/repayflow-function.ts';
import { type QueueKey, queues } from '../../infra/resources.ts';
import { FIXTURE_HANDLER } from './helpers.ts';

function prepare(key: QueueKey, timeoutSeconds: number) {
  const stack = new Stack(new App(), 'BindTest');
  const encryptionKey = new kms.Key(stack, 'Key');
  const deadLetterQueue = new sqs.Queue(stack, 'Dlq');
  const definition = queues[key];
  const queue = new sqs.Queue(stack, 'Queue', {
    visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
  });
  const deployed: DeployedQueue = { key, definition, queue, deadLetterQueue, encryptionKey };
  const fn = new RepayflowFunction(stack, 'Consumer', {
    entry: FIXTURE_HANDLER,
    description: 'test consumer',
    timeout: Duration.seconds(timeoutSeconds),
    memorySize: 256,
    logRetentionDays: 7,
    logRemovalPolicy: RemovalPolicy.DESTROY,
  });
  return { fn, deployed };
}

describe('Function: bindQueue', () => {
  it('refuses to synthesize a consumer whose timeout is more than a sixth of the queue visibility timeout', () => {
    // Prepare
    const visibility = queues.repaymentAttempts.visibilityTimeoutSeconds;
    const { fn, deployed } = prepare('repaymentAttempts', visibility / MIN_VISIBILITY_TO_TIMEOUT_RATIO + 1);

    // Act
    const bind = () => bindQueue(fn, deployed, 'consume');

    // Assess
    expect(bind).toThrow(/visibility timeout 180s is less than 6× the 31s timeout/);
  });

  it('accepts a consumer whose timeout is exactly a sixth of the visibility timeout', () => {
    // Prepare
    const { fn, deployed } = prepare('repaymentAttempts', queues.repaymentAttempts.visibilityTimeoutSeconds / MIN_VISIBILITY_TO_TIMEOUT_RATIO);

    // Act
    const bind = () => bindQueue(fn, deployed, 'consume');

    // Assess
    expect(bind).not.toThrow();
  });

  it('refuses to bind a queue for sending when no environment variable carries its URL', () => {
    // Prepare
    const { fn, deployed } = prepare('notices', 10);
    // A queue added to infra/resources.ts before shared/config/env.ts names its variable.
    const unnamed = { ...deployed, key: 'refunds' as QueueKey };

    // Act
    const bind = () => bindQueue(fn, unnamed, 'send');

    // Assess
    expect(bind).toThrow(/queue "refunds" has no environment variable/);
  });
});
