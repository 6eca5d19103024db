/**
 * The deployed resources and the local stack come from one definition, infra/resources.ts. These
 * tests read the synthesized templates only (not the constructs), so they fail if anything in
 * infra/aws adds, drops or changes a table key, an index, a queue, a topic or a subscription.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues, subscriptions, table, topics } from '../../infra/resources.ts';
import { removeDir, resourcesOfType, synthesize, type Synthesized } from './helpers.ts';

const byPrefix = <T>(entries: Array<[string, T]>, prefix: string) => entries.filter(([id]) => id.startsWith(prefix));

describe('Stack: Stateful (parity with infra/resources.ts)', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    synthesized = synthesize();
  });
  afterAll(() => removeDir(synthesized.outdir));

  it('defines exactly the table key schema and indexes of infra/resources.ts', () => {
    // Prepare
    const keyAttributes = [table.partitionKey, table.sortKey, ...Object.values(table.indexes).flatMap((i) => [i.partitionKey, i.sortKey])];

    // Act
    const tables = resourcesOfType(synthesized.statefulTemplate, 'AWS::DynamoDB::Table');
    const properties = tables[0]?.[1].Properties ?? {};

    // Assess
    expect(tables).toHaveLength(1);
    expect(tables[0]?.[0].startsWith(table.id)).toBe(true);
    expect(properties.KeySchema).toEqual([
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      { AttributeName: table.sortKey, KeyType: 'RANGE' },
    ]);
    expect(properties.AttributeDefinitions).toEqual(keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })));
    expect(
      (properties.GlobalSecondaryIndexes as any[]).map((gsi) => ({
        name: gsi.IndexName,
        partitionKey: gsi.KeySchema[0].AttributeName,
        sortKey: gsi.KeySchema[1].AttributeName,
      })),
    ).toEqual(Object.values(table.indexes));
    expect(properties.TimeToLiveSpecification.AttributeName).toBe(table.timeToLiveAttribute);
  });

  it('defines exactly the queues of infra/resources.ts, each with its dead-letter queue, plus one per subscription', () => {
    // Prepare
    const all = resourcesOfType(synthesized.statefulTemplate, 'AWS::SQS::Queue');

    for (const definition of Object.values(queues)) {
      // Act
      const [main, ...extraMain] = byPrefix(all, `${definition.id}Queue`);
      const [dlq, ...extraDlq] = byPrefix(all, `${definition.id}DeadLetterQueue`);

      // Assess
      expect(extraMain).toEqual([]);
      expect(extraDlq).toEqual([]);
      expect(main?.[1].Properties.VisibilityTimeout).toBe(definition.visibilityTimeoutSeconds);
      expect(main?.[1].Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlq?.[0], 'Arn'] },
        maxReceiveCount: definition.maxReceiveCount,
      });
      expect(dlq?.[1].Properties.MessageRetentionPeriod).toBe(definition.dlqRetentionDays * 24 * 3600);
    }
    expect(all).toHaveLength(2 * Object.keys(queues).length + subscriptions.length);
  });

  it('defines exactly the topics of infra/resources.ts', () => {
    // Act
    const ids = resourcesOfType(synthesized.statefulTemplate, 'AWS::SNS::Topic').map(([id]) => id);

    // Assess
    expect(ids).toHaveLength(Object.keys(topics).length);
    for (const definition of Object.values(topics)) {
      expect(byPrefix(ids.map((id) => [id, id]), definition.id)).toHaveLength(1);
    }
  });

  it('defines exactly the subscriptions of infra/resources.ts, with their filter policy and raw delivery', () => {
    // Act
    const all = resourcesOfType(synthesized.statefulTemplate, 'AWS::SNS::Subscription');

    // Assess
    expect(all).toHaveLength(subscriptions.length);
    for (const definition of subscriptions) {
      const topicId = `${topics[definition.topic].id}`;
      const queueId = `${queues[definition.queue].id}Queue`;
      const match = all.find(
        ([, s]) => JSON.stringify(s.Properties.TopicArn).includes(topicId) && JSON.stringify(s.Properties.Endpoint).includes(queueId),
      );
      expect(match?.[1].Properties).toMatchObject({
        Protocol: 'sqs',
        RawMessageDelivery: definition.rawMessageDelivery,
        FilterPolicy: definition.filterPolicy,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${definition.id}DeadLetterQueue`)), 'Arn'] } },
      });
    }
  });
});
