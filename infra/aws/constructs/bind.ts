/**
 * Bind helpers: each one grants a function exactly what it needs on one resource AND sets the
 * environment variable the code reads to find it, so permissions and configuration cannot
 * drift apart, and variable names come from `shared/config/env.ts` only.
 *
 * Statements are written out instead of using `grant*` so that every action is named (no
 * `kms:GenerateDataKey*`, no `dynamodb:Scan`) and KMS use is limited to the one service
 * that needs it (`kms:ViaService`).
 */
import { Aws } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENV, type EnvName } from '../../../shared/config/env.ts';
import { AGENDA_SHARDS, type QueueDefinition, type QueueKey, type TopicKey, table as tableDefinition } from '../../resources.ts';
import { acknowledge } from '../nag.ts';
import type { RepayflowFunction } from './repayflow-function.ts';

/** A queue from `infra/resources.ts` as deployed: the queue, its dead-letter queue, its definition. */
export interface DeployedQueue {
  readonly key: QueueKey;
  readonly definition: QueueDefinition;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly encryptionKey: kms.IKey;
}

export interface DeployedTopic {
  readonly key: TopicKey;
  readonly topic: sns.ITopic;
  readonly encryptionKey: kms.IKey;
}

export interface DeployedTable {
  readonly table: dynamodb.ITable;
  readonly encryptionKey: kms.IKey;
}

/** Which variable carries which queue URL / topic ARN. A resource without one cannot be bound for sending. */
export const QUEUE_URL_ENV: Partial<Record<QueueKey, EnvName>> = {
  repaymentAttempts: ENV.attemptsQueueUrl,
  notices: ENV.noticesQueueUrl,
};
export const TOPIC_ARN_ENV: Record<TopicKey, EnvName> = {
  billingEvents: ENV.billingEventsTopicArn,
  emailDeliveries: ENV.emailTopicArn,
  emailFeedback: ENV.emailFeedbackTopicArn,
};

/** An SQS consumer's visibility timeout must cover several attempts of its function (AWS guidance: 6×). */
export const MIN_VISIBILITY_TO_TIMEOUT_RATIO = 6;

const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

function viaService(service: 'dynamodb' | 'sqs' | 'sns') {
  return { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } };
}

/** `readAndPut`: reads plus PutItem only (a function that writes whole items of its own, never updates or deletes). */
export type TableAccess = 'read' | 'readWrite' | 'readAndPut';

/** Item access to the table and queries on its indexes (never Scan), plus the table name and shard count. */
export function bindTable(fn: RepayflowFunction, deployed: DeployedTable, access: TableAccess): void {
  const { table, encryptionKey } = deployed;
  const write = access !== 'read';
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions:
        access === 'readWrite' ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : access === 'readAndPut' ? [...TABLE_READ_ACTIONS, 'dynamodb:PutItem'] : TABLE_READ_ACTIONS,
      resources: [table.tableArn],
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: Object.values(tableDefinition.indexes).map((index) => `${table.tableArn}/index/${index.name}`),
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: write ? [...TABLE_KEY_READ_ACTIONS, ...TABLE_KEY_WRITE_ACTIONS] : TABLE_KEY_READ_ACTIONS,
      resources: [encryptionKey.keyArn],
      conditions: viaService('dynamodb'),
    }),
  );
  fn.addEnvironment(ENV.tableName, table.tableName);
  fn.addEnvironment(ENV.agendaShards, String(AGENDA_SHARDS));
}

export type QueueAccess = 'send' | 'consume';

/**
 * `send`: SendMessage (and SendMessageBatch, which IAM authorises as SendMessage) plus the
 * queue URL variable. `consume`: an event source mapping with the batch size and maximum
 * concurrency of `infra/resources.ts` and partial batch responses; refuses to synthesize when
 * the queue's visibility timeout is under 6× the function timeout.
 */
export function bindQueue(fn: RepayflowFunction, deployed: DeployedQueue, access: QueueAccess): void {
  if (access === 'send') {
    const envName = QUEUE_URL_ENV[deployed.key];
    if (envName === undefined) {
      throw new Error(`queue "${deployed.key}" has no environment variable in QUEUE_URL_ENV; add one in shared/config/env.ts first`);
    }
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deployed.queue.queueArn] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [deployed.encryptionKey.keyArn],
        conditions: viaService('sqs'),
      }),
    );
    fn.addEnvironment(envName, deployed.queue.queueUrl);
    return;
  }

  assertVisibilityCoversRetries(fn, deployed);
  // Grants ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueAttributes and kms:Decrypt.
  fn.addEventSource(
    new SqsEventSource(deployed.queue, {
      batchSize: deployed.definition.batchSize,
      maxConcurrency: deployed.definition.maxConcurrency,
      reportBatchItemFailures: true,
    }),
  );
  acknowledge(fn, {
    'Serverless-LambdaEventSourceMappingDestination':
      "SQS event source mappings do not support on-failure destinations; failed messages go to the queue's own dead-letter queue (redrive policy), which has an alarm.",
  });
}

/** Which variable carries which dead-letter queue URL (the operations console's). */
export const DEAD_LETTER_URL_ENV: Record<QueueKey, EnvName> = {
  repaymentAttempts: ENV.attemptsDlqUrl,
  notices: ENV.noticesDlqUrl,
  emails: ENV.emailsDlqUrl,
  emailFeedback: ENV.emailFeedbackDlqUrl,
};

/**
 * The operations console on one queue's dead letters: their depth and a look at them (the look
 * hands them straight back: ChangeMessageVisibility), and a redrive by SQS's own move task,
 * which needs ReceiveMessage, DeleteMessage and GetQueueAttributes on the dead-letter queue and
 * SendMessage on the queue it moves them back to
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html).
 * Scoped to the queue, its dead-letter queue and their key; sets the dead-letter queue URL variable.
 */
export function bindDeadLetterRedrive(fn: RepayflowFunction, deployed: DeployedQueue): void {
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks'],
      resources: [deployed.deadLetterQueue.queueArn],
    }),
  );
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deployed.queue.queueArn] }));
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [deployed.encryptionKey.keyArn],
      conditions: viaService('sqs'),
    }),
  );
  fn.addEnvironment(DEAD_LETTER_URL_ENV[deployed.key], deployed.deadLetterQueue.queueUrl);
}

export function assertVisibilityCoversRetries(fn: RepayflowFunction, deployed: DeployedQueue): void {
  const timeoutSeconds = fn.timeout?.toSeconds() ?? 3;
  const visibility = deployed.definition.visibilityTimeoutSeconds;
  if (visibility < MIN_VISIBILITY_TO_TIMEOUT_RATIO * timeoutSeconds) {
    throw new Error(
      `queue "${deployed.key}": visibility timeout ${visibility}s is less than ${MIN_VISIBILITY_TO_TIMEOUT_RATIO}× ` +
        `the ${timeoutSeconds}s timeout of its consumer ${fn.node.id}; raise it in infra/resources.ts or shorten the timeout`,
    );
  }
}

/** sns:Publish to one topic (and the KMS use that publishing to an encrypted topic needs), plus its ARN variable. */
export function bindTopic(fn: RepayflowFunction, deployed: DeployedTopic): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [deployed.topic.topicArn] }));
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [deployed.encryptionKey.keyArn],
      conditions: viaService('sns'),
    }),
  );
  fn.addEnvironment(TOPIC_ARN_ENV[deployed.key], deployed.topic.topicArn);
}

/**
 * Everything that is not an SNS resource (topic, application): a phone number, for `Publish`.
 * SNS authorises direct SMS against no ARN, so the statement names what it must never reach.
 */
export const NOT_AN_SNS_RESOURCE = 'arn:aws:sns:*:*:*';

/**
 * Direct SMS: `sns:Publish` with `NotResource: arn:aws:sns:*:*:*`, so it reaches phone numbers
 * and no topic at all. Topics the function publishes to are granted separately, by ARN, with
 * `bindTopic`.
 */
export function smsPublishStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'PublishSmsToPhoneNumbers', actions: ['sns:Publish'], notResources: [NOT_AN_SNS_RESOURCE] });
}

export function bindSmsPublishing(fn: RepayflowFunction): iam.Policy {
  const policy = new iam.Policy(fn, 'SmsPublish', { statements: [smsPublishStatement()] });
  fn.executionRole.attachInlinePolicy(policy);
  return policy;
}

/**
 * The payment gateway a function composes (`PAYMENT_GATEWAY`). With `providers`: the secret that
 * holds the provider keys, by ARN (or by name when it was referenced by name), and
 * `secretsmanager:GetSecretValue` on that one secret; the keys themselves are read at run time
 * and never reach the template or the environment. The secret uses the AWS managed key of
 * Secrets Manager, which grants decryption through Secrets Manager to whoever may read the secret.
 */
export function bindPaymentGateway(fn: RepayflowFunction, gateway: 'simulated' | 'providers', secret: secretsmanager.ISecret | undefined): void {
  fn.addEnvironment(ENV.gateway, gateway);
  if (gateway === 'simulated') return;
  if (secret === undefined) throw new Error(`${fn.node.id}: PAYMENT_GATEWAY=providers needs the payment providers' secret`);
  if (secret.secretFullArn !== undefined) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretFullArn] }));
    fn.addEnvironment(ENV.paymentSecretsArn, secret.secretFullArn);
    return;
  }
  // Referenced by name: its ARN ends in six random characters we cannot know at synth time.
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [`${secret.secretArn}-??????`] }));
  fn.addEnvironment(ENV.paymentSecretsArn, secret.secretName);
  acknowledge(fn.executionRole, {
    [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secret.secretName}-??????]`]:
      'The payment secret is referenced by name (paymentSecretName); Secrets Manager appends six random characters to its ARN, which "-??????" matches and nothing else.',
  });
}
