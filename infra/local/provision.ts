/**
 * Creates the table, queues, dead-letter queues, topics and subscriptions of
 * `infra/resources.ts` on the emulators, with the same keys, indexes, redrive policies and
 * filter policies the CDK app deploys.
 */
import { CreateTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { localNames, type QueueKey, queues, subscriptions, type TopicKey, table, topics } from '../resources.ts';

export interface ProvisionedQueue {
  name: string;
  url: string;
  arn: string;
  dlqName: string;
  dlqUrl: string;
  dlqArn: string;
}

export interface Provisioned {
  tableName: string;
  queues: Record<QueueKey, ProvisionedQueue>;
  topics: Record<TopicKey, { name: string; arn: string }>;
}

export async function provision(
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient; sns: SNSClient },
  prefix: string,
  options: { visibilityTimeoutSeconds?: number } = {},
): Promise<Provisioned> {
  const names = localNames(prefix);
  const indexes = Object.values(table.indexes);
  const keyAttrs = [table.partitionKey, table.sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: names.table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keyAttrs.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: names.table, TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true } }));

  const queueEntries = await Promise.all(
    (Object.keys(queues) as QueueKey[]).map(async (key) => {
      const def = queues[key];
      const dlq = await createQueue(clients.sqs, names.deadLetterQueue(key), { MessageRetentionPeriod: String(def.dlqRetentionDays * 86_400) });
      const main = await createQueue(clients.sqs, names.queue(key), {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? def.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: String(def.maxReceiveCount) }),
      });
      return [key, { name: names.queue(key), url: main.url, arn: main.arn, dlqName: names.deadLetterQueue(key), dlqUrl: dlq.url, dlqArn: dlq.arn }] as const;
    }),
  );
  const provisionedQueues = Object.fromEntries(queueEntries) as Record<QueueKey, ProvisionedQueue>;

  const topicEntries = await Promise.all(
    (Object.keys(topics) as TopicKey[]).map(async (key) => {
      const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: names.topic(key) }));
      return [key, { name: names.topic(key), arn: TopicArn! }] as const;
    }),
  );
  const provisionedTopics = Object.fromEntries(topicEntries) as Record<TopicKey, { name: string; arn: string }>;

  for (const sub of subscriptions) {
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: provisionedTopics[sub.topic].arn,
        Protocol: 'sqs',
        Endpoint: provisionedQueues[sub.queue].arn,
        Attributes: {
          RawMessageDelivery: String(sub.rawMessageDelivery),
          ...('filterPolicy' in sub ? { FilterPolicy: JSON.stringify(sub.filterPolicy) } : {}),
        },
      }),
    );
  }
  return { tableName: names.table, queues: provisionedQueues, topics: provisionedTopics };
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}
