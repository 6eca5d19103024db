/**
 * The stateful stack: what holds data and must outlive any deployment of the code — the table,
 * the queues with their dead-letter queues, the topics and the SNS → SQS subscriptions, all
 * encrypted with one customer-managed key. Every value comes from `infra/resources.ts`, the
 * definition the local stack builds from too.
 */
import { Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  type QueueDefinition,
  type QueueKey,
  queues as queueDefinitions,
  subscriptions as subscriptionDefinitions,
  type TopicKey,
  table as tableDefinition,
  topics as topicDefinitions,
} from '../resources.ts';
import type { DeployedQueue, DeployedTable, DeployedTopic } from './constructs/bind.ts';
import { Identity, type IdentityProps } from './constructs/identity.ts';
import { acknowledge } from './nag.ts';

/** Below this, a message that fails a few times in a row (a deploy, a throttle) is dead-lettered too early. */
export const MIN_MAX_RECEIVE_COUNT = 5;

export interface StatefulStackProps extends StackProps {
  readonly stage: string;
  /** Create a Cognito user pool as identity provider; leave unset when the deployer brings their own. */
  readonly identity?: Omit<IdentityProps, 'stage'>;
  /**
   * The real payment providers' keys (PAYMENT_GATEWAY=providers): an existing secret named
   * `secretName`, or, without one, a secret this stack creates holding `{}` for the deployer to
   * fill (docs/deploy-to-aws.md). Unset for a stage that runs the simulated gateway.
   */
  readonly paymentProviders?: { readonly secretName?: string };
}

/** A dead-letter queue and what it catches, for alarms and the dashboard. */
export interface DeadLetterQueue {
  readonly name: string;
  readonly queue: sqs.IQueue;
}

export class StatefulStack extends Stack {
  /** Encrypts the table and the queues. */
  readonly dataKey: kms.Key;
  /**
   * Encrypts the topics. A separate key because the queues' key policy names the topic (SNS may
   * use it only for deliveries from that topic), which would be circular with a shared key.
   */
  readonly topicKey: kms.Key;
  readonly table: DeployedTable;
  readonly queues: Readonly<Record<QueueKey, DeployedQueue>>;
  readonly topics: Readonly<Record<TopicKey, DeployedTopic>>;
  readonly deadLetterQueues: readonly DeadLetterQueue[];
  /** Identities live with the data: deleting the code must not delete the customers' sign-ins. */
  readonly identity: Identity | undefined;
  /** The payment providers' keys, read by the functions at run time; undefined with the simulated gateway. */
  readonly paymentSecret: secretsmanager.ISecret | undefined;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `repayflow ${props.stage}: encrypts the table and queues`,
      alias: `alias/repayflow-${props.stage}-data`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: `repayflow ${props.stage}: encrypts the SNS topics`,
      alias: `alias/repayflow-${props.stage}-topics`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = { table: this.createTable(), encryptionKey: this.dataKey };

    const deadLetterQueues: DeadLetterQueue[] = [];
    const deployedQueues = {} as Record<QueueKey, DeployedQueue>;
    for (const key of Object.keys(queueDefinitions) as QueueKey[]) {
      const deployed = this.createQueue(key, queueDefinitions[key]);
      deployedQueues[key] = deployed;
      deadLetterQueues.push({ name: `${deployed.definition.id} DLQ`, queue: deployed.deadLetterQueue });
    }
    this.queues = deployedQueues;

    const deployedTopics = {} as Record<TopicKey, DeployedTopic>;
    for (const key of Object.keys(topicDefinitions) as TopicKey[]) {
      const topic = new sns.Topic(this, topicDefinitions[key].id, {
        masterKey: this.topicKey,
        enforceSSL: true,
      });
      deployedTopics[key] = { key, topic, encryptionKey: this.topicKey };
    }
    this.topics = deployedTopics;
    // SES publishes bounces and complaints (a configuration set's event destination) to the
    // email-feedback topic, encrypted with the topic key: both allow SES, from this account only.
    const sesPrincipal = new iam.ServicePrincipal('ses.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': this.account } };
    deployedTopics.emailFeedback.topic.addToResourcePolicy(
      new iam.PolicyStatement({ principals: [sesPrincipal], actions: ['sns:Publish'], resources: [deployedTopics.emailFeedback.topic.topicArn], conditions: fromThisAccount }),
    );
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({ principals: [sesPrincipal], actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'], conditions: fromThisAccount }),
    );

    for (const definition of subscriptionDefinitions) {
      const deadLetterQueue = this.encryptedQueue(`${definition.id}DeadLetterQueue`, {
        retentionPeriod: Duration.days(queueDefinitions[definition.queue].dlqRetentionDays),
      });
      acknowledge(deadLetterQueue, {
        'AwsSolutions-SQS3': 'This queue is the dead-letter queue of an SNS subscription (its redrive policy); it has an alarm.',
        'Serverless-SQSRedrivePolicy': 'This queue is itself a dead-letter queue (of an SNS subscription); it has an alarm.',
      });
      const filterPolicy =
        'filterPolicy' in definition
          ? Object.fromEntries(
              Object.entries(definition.filterPolicy).map(([attribute, allowlist]) => [attribute, sns.SubscriptionFilter.stringFilter({ allowlist: [...allowlist] })]),
            )
          : undefined;
      deployedTopics[definition.topic].topic.addSubscription(
        new subscriptions.SqsSubscription(deployedQueues[definition.queue].queue, {
          rawMessageDelivery: definition.rawMessageDelivery,
          ...(filterPolicy ? { filterPolicy } : {}),
          deadLetterQueue,
        }),
      );
      deadLetterQueues.push({ name: `${definition.id} DLQ`, queue: deadLetterQueue });
    }
    this.deadLetterQueues = deadLetterQueues;

    this.identity = props.identity ? new Identity(this, 'Identity', { stage: props.stage, ...props.identity }) : undefined;
    this.paymentSecret = props.paymentProviders ? this.paymentProvidersSecret(props.stage, props.paymentProviders.secretName) : undefined;
  }

  private createTable(): dynamodb.Table {
    const string = dynamodb.AttributeType.STRING;
    const table = new dynamodb.Table(this, tableDefinition.id, {
      partitionKey: { name: tableDefinition.partitionKey, type: string },
      sortKey: { name: tableDefinition.sortKey, type: string },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      deletionProtection: true,
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(tableDefinition.indexes)) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: { name: index.sortKey, type: string },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  private createQueue(key: QueueKey, definition: QueueDefinition): DeployedQueue {
    if (definition.maxReceiveCount < MIN_MAX_RECEIVE_COUNT) {
      throw new Error(`queue "${key}": maxReceiveCount ${definition.maxReceiveCount} is below ${MIN_MAX_RECEIVE_COUNT}`);
    }
    const deadLetterQueue = this.encryptedQueue(`${definition.id}DeadLetterQueue`, {
      retentionPeriod: Duration.days(definition.dlqRetentionDays),
    });
    acknowledge(deadLetterQueue, {
      'Serverless-SQSRedrivePolicy': 'This queue is itself a dead-letter queue; it has an alarm and is redriven by hand.',
    });
    const queue = this.encryptedQueue(`${definition.id}Queue`, {
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
    });
    return { key, definition, queue, deadLetterQueue, encryptionKey: this.dataKey };
  }

  /** Created holding `{}`: the template never carries a key; the deployer puts them (put-secret-value). */
  private paymentProvidersSecret(stage: string, existingName: string | undefined): secretsmanager.ISecret {
    if (existingName !== undefined) return secretsmanager.Secret.fromSecretNameV2(this, 'PaymentProvidersSecret', existingName);
    const secret = new secretsmanager.Secret(this, 'PaymentProvidersSecret', {
      secretName: `repayflow/${stage}/payment-providers`,
      description: `repayflow ${stage}: payment provider keys (Stripe, Alipay, WeChat Pay) as one JSON object`,
      secretStringValue: SecretValue.unsafePlainText('{}'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(secret, {
      'AwsSolutions-SMG4':
        'Provider keys are issued by the providers (Stripe dashboard, Alipay and WeChat Pay merchant platforms) and cannot be rotated by a Lambda; they are rotated there and put into this secret by hand (docs/deploy-to-aws.md). The functions re-read it every 5 minutes.',
    });
    return secret;
  }

  private encryptedQueue(id: string, props: sqs.QueueProps): sqs.Queue {
    return new sqs.Queue(this, id, {
      ...props,
      // The customer-managed key (not the AWS-managed aws/sqs key, which SNS cannot use) keeps
      // SNS → SQS delivery working: the subscription adds the key-policy statement for SNS.
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.dataKey,
      enforceSSL: true,
    });
  }
}
