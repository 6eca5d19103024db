/**
 * Poison and failing messages on the repayment-attempts queue: after maxReceiveCount they land
 * in the dead-letter queue, and once the fault is fixed a redrive gets the work done, once.
 */
import { GetQueueAttributesCommand, PurgeQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues } from '../../infra/resources.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Dead letters of the repayment-attempts queue', () => {
  let t: TestStack;
  let sqs: SQSClient;
  const depth = async (url: string) => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible);
  };
  /** Polls the queue until the message has been received maxReceiveCount times and moved. */
  const exhaustRetries = async () => {
    for (let i = 0; i <= queues.repaymentAttempts.maxReceiveCount + 1; i++) {
      await t.stack.pollers.attempts.drain();
      await new Promise((r) => setTimeout(r, 1100));
    }
  };

  beforeAll(async () => {
    t = await startTestStack({ visibilityTimeoutSeconds: 1 });
    sqs = new SQSClient({ endpoint: t.stack.endpoints.sqs, region: 'us-east-1', useQueueUrlAsEndpoint: false, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('moves a poison message to the dead-letter queue after maxReceiveCount tries', async () => {
    const q = t.stack.resources.queues.repaymentAttempts;
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: '{"planId": 42' }));

    await exhaustRetries();

    expect(await depth(q.url)).toBe(0);
    expect(await depth(q.dlqUrl)).toBe(1);
    // Poison stays poison: redriven, it fails again and comes back to the dead-letter queue.
    expect(await t.stack.redrive('repaymentAttempts')).toBe(1);
    await exhaustRetries();
    expect(await depth(q.dlqUrl)).toBe(1);
  }, 60_000);

  it('gets a debit done once by a redrive after the database outage that dead-lettered it ends', async () => {
    // Prepare: a plan whose debit is due; the poison of the first test moved out of the way.
    const q = t.stack.resources.queues.repaymentAttempts;
    await sqs.send(new PurgeQueueCommand({ QueueUrl: q.dlqUrl }));
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    const planId = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id, { periods: 3 }), headers: { 'idempotency-key': 'dlq-1' } })).body.planId;
    await t.stack.run(new Date('2026-02-27T03:00:00Z'));

    // Act: the plan cannot be read while the debit is tried, until it is dead-lettered.
    const plans = t.stack.deps.plans;
    t.stack.deps.plans = new Proxy(plans, {
      get: (target, prop) => (prop === 'get' ? () => Promise.reject(new Error('database unavailable')) : (Reflect.get(target, prop, target) as () => unknown).bind(target)),
    });
    t.stack.clock.set(new Date('2026-02-28T01:00:00Z'));
    await t.stack.sweep({}, {} as never);
    await exhaustRetries();
    expect(await depth(q.dlqUrl)).toBe(1);
    t.stack.deps.plans = plans;
    expect(await t.stack.redrive('repaymentAttempts')).toBe(1);
    await t.stack.drain();

    // Assess: paid once, recorded once.
    const plan = (await t.http('GET', `/v1/plans/${planId}`, { token: t.adminToken })).body;
    expect(plan.installments[0].status).toBe('paid');
    expect(t.stack.gateway.charges().filter((c) => c.planId === planId)).toHaveLength(1);
    expect((await t.http('GET', `/v1/plans/${planId}/repayments`, { token: t.adminToken })).body.items).toHaveLength(1);
  }, 60_000);
});
