/**
 * Email that arrives: the mailer function consumes the emails queue (the email topic's SQS
 * subscription) and sends each email with Amazon SES v2 `SendEmail` under a configuration set;
 * the configuration set's event destination publishes bounces and complaints to the
 * email-feedback topic, whose queue the email-feedback function consumes to suppress the
 * address for its customer. The mailer may send only from its identity and only under its
 * configuration set.
 */
import { Arn, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { ENV } from '../../../shared/config/env.ts';
import { bindQueue, bindTable, type DeployedQueue, type DeployedTable, type DeployedTopic } from './bind.ts';
import { type BundlingOptions, RepayflowFunction } from './repayflow-function.ts';

export interface MailerProps {
  readonly stage: string;
  /** The sender address (`notices@pay.example.com`). */
  readonly from: string;
  /** The verified SES identity it belongs to: the address itself or its domain. */
  readonly identity: string;
  readonly emails: DeployedQueue;
  readonly feedback: DeployedQueue;
  readonly feedbackTopic: DeployedTopic;
  readonly table: DeployedTable;
  readonly entries: { readonly mailer: string; readonly feedback: string };
  readonly common: {
    readonly logRetentionDays: number;
    readonly logRemovalPolicy: RemovalPolicy;
    readonly bundlingOverrides?: Partial<BundlingOptions>;
    readonly projectRoot: string;
    readonly depsLockFilePath: string;
  };
}

export class Mailer extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly mailer: RepayflowFunction;
  readonly feedback: RepayflowFunction;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    const configurationSetName = `repayflow-${props.stage}`;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName,
      sendingEnabled: true,
      reputationMetrics: true,
    });
    // The L1 resource: the L2 destination would add a topic policy naming this configuration set
    // to the stateful stack (a cycle); the stateful stack lets this account's SES publish instead.
    new ses.CfnConfigurationSetEventDestination(this, 'Feedback', {
      configurationSetName: this.configurationSet.configurationSetName,
      eventDestination: {
        enabled: true,
        matchingEventTypes: ['bounce', 'complaint'],
        snsDestination: { topicArn: props.feedbackTopic.topic.topicArn },
      },
    });

    this.mailer = new RepayflowFunction(this, 'MailerFunction', {
      ...props.common,
      entry: props.entries.mailer,
      description: 'Sends email notices through Amazon SES',
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    bindQueue(this.mailer, props.emails, 'consume');
    // Its idempotency records: one email per notice, however often SQS delivers it.
    bindTable(this.mailer, props.table, 'readWrite');
    this.mailer.addEnvironment(ENV.emailFrom, props.from);
    this.mailer.addEnvironment(ENV.sesConfigurationSet, configurationSetName);
    const stack = Stack.of(this);
    this.mailer.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          Arn.format({ service: 'ses', resource: 'identity', resourceName: props.identity }, stack),
          Arn.format({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName }, stack),
        ],
      }),
    );

    this.feedback = new RepayflowFunction(this, 'EmailFeedbackFunction', {
      ...props.common,
      entry: props.entries.feedback,
      description: 'Suppresses email to addresses SES reports as bouncing or complaining',
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    bindQueue(this.feedback, props.feedback, 'consume');
    bindTable(this.feedback, props.table, 'readWrite');
  }
}
