/**
 * The stateless stack: code and wiring that can be replaced at any time — the functions,
 * the sweep schedule, the HTTP API, the portal hosting, alarms and the dashboard. It reads the
 * stateful stack's resources and binds each function to exactly what it uses.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV, ORIGIN_VERIFY_HEADER } from '../../shared/config/env.ts';
import { schedules } from '../resources.ts';
import type { DeploymentConfig } from './config.ts';
import { bindDeadLetterRedrive, bindPaymentGateway, bindQueue, bindSmsPublishing, bindTable, bindTopic } from './constructs/bind.ts';
import { RepayflowHttpApi } from './constructs/http-api.ts';
import { Mailer } from './constructs/mailer.ts';
import { Operations } from './constructs/operations.ts';
import { Portal } from './constructs/portal.ts';
import { PortalSignIn } from './constructs/portal-sign-in.ts';
import { Reconciliation } from './constructs/reconciliation.ts';
import type { BundlingOptions } from './constructs/repayflow-function.ts';
import { RepayflowFunction } from './constructs/repayflow-function.ts';
import { acknowledge } from './nag.ts';
import type { StatefulStack } from './stateful-stack.ts';

export type FunctionKey = 'api' | 'opsApi' | 'webhooks' | 'sweep' | 'attemptWorker' | 'notifier' | 'reconcile';

/** Repository root, so entries resolve the same from `cdk synth` and from the tests. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The mailer's functions (deployed when the `emailFrom` context is set). */
export const MAILER_ENTRIES = {
  mailer: path.join(PROJECT_ROOT, 'functions/mailer/handler.ts'),
  feedback: path.join(PROJECT_ROOT, 'functions/email-feedback/handler.ts'),
} as const;

export const FUNCTION_ENTRIES: Readonly<Record<FunctionKey, string>> = {
  api: path.join(PROJECT_ROOT, 'functions/api/handler.ts'),
  opsApi: path.join(PROJECT_ROOT, 'functions/ops-api/handler.ts'),
  webhooks: path.join(PROJECT_ROOT, 'functions/webhooks/handler.ts'),
  sweep: path.join(PROJECT_ROOT, 'functions/sweep/handler.ts'),
  attemptWorker: path.join(PROJECT_ROOT, 'functions/attempt-worker/handler.ts'),
  notifier: path.join(PROJECT_ROOT, 'functions/notifier/handler.ts'),
  reconcile: path.join(PROJECT_ROOT, 'functions/reconcile/handler.ts'),
};

/** Paths the portal's CloudFront distribution forwards to the API. */
export const API_PATHS_BEHIND_CDN = ['/v1/*', '/health', '/openapi.json', '/docs'] as const;

export interface StatelessStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly stateful: StatefulStack;
  /** Tests only: other handler entries (the real app always uses FUNCTION_ENTRIES). */
  readonly entries?: Partial<Record<FunctionKey, string>>;
  /** Tests only: other mailer handler entries. */
  readonly mailerEntries?: Partial<typeof MAILER_ENTRIES>;
  /** Tests only: bundling overrides. */
  readonly bundlingOverrides?: Partial<BundlingOptions>;
  /** Built portal; deployed only when the folder exists at synth time. */
  readonly webDistPath?: string;
  /** The AWS WAF web ACL (CloudFront scope, from the edge stack) in front of the distribution. */
  readonly webAclArn: string;
}

export class StatelessStack extends Stack {
  readonly functions: Readonly<Record<FunctionKey, RepayflowFunction>>;
  /** The SES mailer and its feedback handler; undefined without the `emailFrom` context. */
  readonly mailer: Mailer | undefined;
  readonly sweepDeadLetterQueue: sqs.Queue;
  readonly sweepSchedule: scheduler.Schedule;
  readonly httpApi: RepayflowHttpApi;
  /** The header value CloudFront sends to the API origin, which the API's functions require. */
  readonly originVerifySecret: secretsmanager.Secret;
  readonly portal: Portal;
  readonly operations: Operations;
  readonly reconciliation: Reconciliation;
  /** The portal's Cognito app client (hosted UI sign-in), when the stack created the user pool. */
  readonly portalSignIn: PortalSignIn | undefined;
  /** repayflow's own webhook HMAC key: only the simulated provider's webhooks use it. */
  readonly webhookSecret: secretsmanager.Secret | undefined;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const logRemovalPolicy = config.isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // Encrypts what this stack keeps by itself: the sweep's dead letters and the alarm topic.
    const operationsKey = new kms.Key(this, 'OperationsKey', {
      description: `repayflow ${config.stage}: encrypts the sweep dead-letter queue and the alarm topic`,
      alias: `alias/repayflow-${config.stage}-operations`,
      enableKeyRotation: true,
      removalPolicy: config.isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });

    // Catches sweeps that never ran: invocations the scheduler could not deliver, and async
    // invocations that failed all of Lambda's retries.
    this.sweepDeadLetterQueue = new sqs.Queue(this, 'SweepDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: operationsKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.sweepDeadLetterQueue, {
      'AwsSolutions-SQS3': 'This queue is the dead-letter queue of the sweep schedule and of the sweep function; it has an alarm.',
      'Serverless-SQSRedrivePolicy': 'This queue is itself a dead-letter queue (sweep schedule and sweep function); it has an alarm.',
    });

    const entries = { ...FUNCTION_ENTRIES, ...props.entries };
    const common = {
      logRetentionDays: config.logRetentionDays,
      logRemovalPolicy,
      bundlingOverrides: { ...props.bundlingOverrides, simulatedGateway: config.allowSimulatedGateway },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
    };
    const noAsyncInvocations = (fn: RepayflowFunction, how: string) =>
      acknowledge(fn, {
        'Serverless-LambdaDLQ': `Invoked synchronously (${how}); a Lambda dead-letter queue only applies to asynchronous invocations.`,
      });

    const api = new RepayflowFunction(this, 'ApiFunction', {
      ...common,
      entry: entries.api,
      description: 'HTTP API: customers, payment methods, plans, repayments, deferrals, support',
      timeout: Duration.seconds(15),
      memorySize: 1024,
      // Caps what a flood can cost and keeps concurrency for it that other functions cannot take.
      reservedConcurrentExecutions: config.apiReservedConcurrency,
    });
    noAsyncInvocations(api, 'by API Gateway');
    // The operations console's routes and the providers' webhooks are functions of their own, so
    // the api function's start-up code carries neither (functions/api/frame.ts).
    const opsApi = new RepayflowFunction(this, 'OpsApiFunction', {
      ...common,
      entry: entries.opsApi,
      description: 'HTTP API, /v1/ops/*: agenda, daily metrics, reconciliation reports, failed attempts, notices, dead letters',
      timeout: Duration.seconds(15),
      memorySize: 1024,
    });
    noAsyncInvocations(opsApi, 'by API Gateway');
    const webhooks = new RepayflowFunction(this, 'WebhooksFunction', {
      ...common,
      entry: entries.webhooks,
      description: "HTTP API, /v1/webhooks/{provider}: the payment providers' signed results and binding hints",
      timeout: Duration.seconds(15),
      memorySize: 1024,
    });
    noAsyncInvocations(webhooks, 'by API Gateway');

    const sweep = new RepayflowFunction(this, 'SweepFunction', {
      ...common,
      entry: entries.sweep,
      description: 'Claims due agenda items (sharded GSI) and enqueues them as repayment attempts',
      timeout: Duration.seconds(60),
      memorySize: 512,
      deadLetterQueue: this.sweepDeadLetterQueue,
    });
    // Lambda writes failed async invocations to the encrypted queue with the function's role.
    operationsKey.grant(sweep, 'kms:GenerateDataKey', 'kms:Decrypt');

    const attemptWorker = new RepayflowFunction(this, 'AttemptWorkerFunction', {
      ...common,
      entry: entries.attemptWorker,
      description: 'Sends reminders, debits, retries and marks overdue for each claimed agenda action',
      timeout: Duration.seconds(30),
      memorySize: 512,
    });
    noAsyncInvocations(attemptWorker, 'by its SQS event source mapping');

    const notifier = new RepayflowFunction(this, 'NotifierFunction', {
      ...common,
      entry: entries.notifier,
      description: 'Sends customer notices by SMS and email',
      timeout: Duration.seconds(30),
      memorySize: 512,
    });
    noAsyncInvocations(notifier, 'by its SQS event source mapping');
    const reconcile = new RepayflowFunction(this, 'ReconcileFunction', {
      ...common,
      entry: entries.reconcile,
      description: "Daily: compares each provider's captures of the previous local day with repayment records",
      timeout: Duration.minutes(5),
      memorySize: 1024,
      deadLetterQueue: this.sweepDeadLetterQueue,
    });
    operationsKey.grant(reconcile, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.functions = { api, opsApi, webhooks, sweep, attemptWorker, notifier, reconcile };
    // Email through SES with bounce and complaint feedback, once the deployer names a sender.
    this.mailer =
      config.email === undefined
        ? undefined
        : new Mailer(this, 'Mailer', {
            stage: config.stage,
            from: config.email.from,
            identity: config.email.identity,
            emails: stateful.queues.emails,
            feedback: stateful.queues.emailFeedback,
            feedbackTopic: stateful.topics.emailFeedback,
            table: stateful.table,
            entries: { ...MAILER_ENTRIES, ...props.mailerEntries },
            common,
          });
    if (this.mailer) {
      noAsyncInvocations(this.mailer.mailer, 'by its SQS event source mapping');
      noAsyncInvocations(this.mailer.feedback, 'by its SQS event source mapping');
      this.mailer.mailer.addEnvironment(ENV.stage, config.stage);
      this.mailer.feedback.addEnvironment(ENV.stage, config.stage);
    }
    // Every metric carries its stage as a dimension, so two stages in one account never merge.
    for (const fn of Object.values(this.functions)) fn.addEnvironment(ENV.stage, config.stage);
    // How long each kind of record is kept (DynamoDB TTL set at write time): the same for every function that writes.
    if (config.retentionDays) {
      const retention = JSON.stringify(config.retentionDays);
      for (const fn of [...Object.values(this.functions), ...(this.mailer ? [this.mailer.mailer, this.mailer.feedback] : [])]) fn.addEnvironment(ENV.retention, retention);
    }

    // Who uses what (least privilege: each grant names one resource).
    bindTable(sweep, stateful.table, 'readWrite');
    bindQueue(sweep, stateful.queues.repaymentAttempts, 'send');
    // Deferred notices (quiet hours) come due on the agenda; the sweep hands them to the notifier.
    bindQueue(sweep, stateful.queues.notices, 'send');

    bindQueue(attemptWorker, stateful.queues.repaymentAttempts, 'consume');
    bindPaymentGateway(attemptWorker, config.paymentGateway, stateful.paymentSecret);
    bindTable(attemptWorker, stateful.table, 'readWrite');
    bindTopic(attemptWorker, stateful.topics.billingEvents);

    bindQueue(notifier, stateful.queues.notices, 'consume');
    bindTable(notifier, stateful.table, 'readWrite');
    bindSmsPublishing(notifier);
    bindTopic(notifier, stateful.topics.emailDeliveries);
    if (config.smsSignature !== undefined) notifier.addEnvironment(ENV.smsSignature, config.smsSignature);
    // Keys the per-phone SMS day counter (an HMAC, so the table holds no reversible phone hash).
    // A dynamic reference: the key is never written into the template.
    const smsCounterKey = new secretsmanager.Secret(this, 'SmsCounterKey', {
      description: `repayflow ${config.stage}: HMAC key of the per-phone SMS day counter`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: logRemovalPolicy,
    });
    acknowledge(smsCounterKey, {
      'AwsSolutions-SMG4': 'Counters last three days; rotating the key only restarts the day counts, so it is rotated by hand when needed (see docs/deploy-to-aws.md).',
    });
    notifier.addEnvironment(ENV.smsCounterKey, smsCounterKey.secretValue.unsafeUnwrap());

    // Reads records (index and items) and puts its day reports; never updates or deletes.
    bindTable(reconcile, stateful.table, 'readAndPut');
    // Lists each provider's captures of the day (read-only calls to the providers).
    bindPaymentGateway(reconcile, config.paymentGateway, stateful.paymentSecret);

    bindTable(api, stateful.table, 'readWrite');
    bindTopic(api, stateful.topics.billingEvents);
    bindQueue(api, stateful.queues.repaymentAttempts, 'send');
    bindPaymentGateway(api, config.paymentGateway, stateful.paymentSecret);

    // Reads what the console shows; a day not reconciled yet is reconciled on request, which
    // lists the providers' captures and puts the day's report.
    bindTable(opsApi, stateful.table, 'readAndPut');
    bindPaymentGateway(opsApi, config.paymentGateway, stateful.paymentSecret);
    // The operations console lists and redrives the dead letters of the queues.
    bindDeadLetterRedrive(opsApi, stateful.queues.repaymentAttempts);
    bindDeadLetterRedrive(opsApi, stateful.queues.notices);
    bindDeadLetterRedrive(opsApi, stateful.queues.emails);
    bindDeadLetterRedrive(opsApi, stateful.queues.emailFeedback);

    // A provider's result settles its repayment and publishes the event; its key verifies the signature.
    bindTable(webhooks, stateful.table, 'readWrite');
    bindTopic(webhooks, stateful.topics.billingEvents);
    bindPaymentGateway(webhooks, config.paymentGateway, stateful.paymentSecret);

    // Signs the simulated provider's webhooks (real providers sign with their own keys), so a
    // stage without the simulated gateway has none. It reaches the function as a CloudFormation
    // dynamic reference, so it is never written into the template.
    if (config.paymentGateway === 'simulated') {
      this.webhookSecret = new secretsmanager.Secret(this, 'WebhookSecret', {
        description: `repayflow ${config.stage}: HMAC key for the simulated provider's webhooks`,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: logRemovalPolicy,
      });
      acknowledge(this.webhookSecret, {
        'AwsSolutions-SMG4':
          'The webhook signing key is shared with the payment provider; rotating it must be coordinated with them, so it is rotated by hand (see docs/deploy-to-aws.md).',
      });
      webhooks.addEnvironment(ENV.webhookSecret, this.webhookSecret.secretValue.unsafeUnwrap());
    }

    const identity = stateful.identity;
    const jwtIssuer = config.jwtIssuer ?? identity?.issuer;
    // The portal's client is created with the distribution below (its callback URLs are there).
    let portalSignIn: PortalSignIn | undefined;
    const portalClientId = Lazy.string({ produce: () => portalSignIn?.client.userPoolClientId });
    const jwtAudience = config.jwtAudience ?? (identity ? [...identity.audience, portalClientId] : undefined);
    if (jwtIssuer === undefined || jwtAudience === undefined) {
      throw new Error('no identity provider: set the jwtIssuer and jwtAudience context, or let the stateful stack create the user pool');
    }
    // The webhooks function authenticates no caller (a provider signs what it sends).
    for (const fn of [api, opsApi]) {
      fn.addEnvironment(ENV.jwtIssuer, jwtIssuer);
      fn.addEnvironment(ENV.jwtAudience, jwtAudience.join(','));
      // The scope the admin routes below require is the one the function takes for admin.
      fn.addEnvironment(ENV.adminScope, config.adminScope);
    }

    const schedulerRole = new iam.Role(this, 'SweepSchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'EventBridge Scheduler invokes the sweep and dead-letters what it cannot deliver',
    });
    // Scheduler dead-letters undeliverable invocations with this role, into an encrypted queue.
    operationsKey.grant(schedulerRole, 'kms:GenerateDataKey', 'kms:Decrypt');
    acknowledge(schedulerRole, {
      [`AwsSolutions-IAM5[Resource::<${this.getLogicalId(sweep.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`]:
        'lambda:InvokeFunction on the sweep function and its own versions/aliases (`<function arn>:*`), as granted by grantInvoke; no other function.',
    });
    this.sweepSchedule = new scheduler.Schedule(this, `${schedules.sweep.id}Schedule`, {
      description: `repayflow ${config.stage}: sweep the agenda every ${config.sweepEveryMinutes} minutes`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(config.sweepEveryMinutes)),
      target: new targets.LambdaInvoke(sweep, {
        role: schedulerRole,
        // A sweep is idempotent (it claims with conditional writes), so retrying is safe; one
        // older than the period is pointless because the next sweep covers the same work.
        retryAttempts: 2,
        maxEventAge: Duration.minutes(Math.max(1, config.sweepEveryMinutes)),
        deadLetterQueue: this.sweepDeadLetterQueue,
        input: scheduler.ScheduleTargetInput.fromObject({
          source: 'repayflow.scheduler',
          schedule: schedules.sweep.id,
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
          executionId: scheduler.ContextAttribute.executionId,
          attempt: scheduler.ContextAttribute.attemptNumber,
        }),
      }),
    });

    this.httpApi = new RepayflowHttpApi(this, 'HttpApi', {
      handlers: { api, opsApi, webhooks },
      jwtIssuer,
      jwtAudience,
      adminScope: config.adminScope,
      rateLimit: config.apiRateLimit,
      burstLimit: config.apiBurstLimit,
      webhookThrottle: { rateLimit: config.webhookRateLimit, burstLimit: config.webhookBurstLimit },
      publicThrottle: { rateLimit: config.publicRateLimit, burstLimit: config.publicBurstLimit },
      ...(config.apiDomainName && config.apiCertificateArn ? { customDomain: { domainName: config.apiDomainName, certificateArn: config.apiCertificateArn } } : {}),
      logRetentionDays: config.logRetentionDays,
      logRemovalPolicy,
    });

    // CloudFront is the only way in: it sends this secret to the API origin and the API's
    // functions (api, opsApi, webhooks) refuse what comes without it, so neither the execute-api
    // endpoint nor the API's custom domain gets around the WAF. A dynamic reference: the value is never written into the template.
    this.originVerifySecret = new secretsmanager.Secret(this, 'OriginVerifySecret', {
      description: `repayflow ${config.stage}: the header CloudFront sends to the API origin (${ORIGIN_VERIFY_HEADER})`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: logRemovalPolicy,
    });
    acknowledge(this.originVerifySecret, {
      'AwsSolutions-SMG4': "CloudFront and the API's functions read it at deployment; rotating it is a redeploy (see docs/deploy-to-aws.md), which updates them all at once.",
    });
    const originSecret = this.originVerifySecret.secretValue.unsafeUnwrap();
    for (const fn of [api, opsApi, webhooks]) fn.addEnvironment(ENV.originVerifySecret, originSecret);

    this.portal = new Portal(this, 'Portal', {
      apiEndpoint: this.httpApi.url,
      apiPaths: API_PATHS_BEHIND_CDN,
      webDistPath: props.webDistPath ?? path.join(PROJECT_ROOT, 'web/dist'),
      webAclArn: props.webAclArn,
      apiOriginHeaders: { [ORIGIN_VERIFY_HEADER]: originSecret },
    });
    if (identity !== undefined) {
      portalSignIn = new PortalSignIn(this, 'PortalSignIn', { identity, distribution: this.portal.distribution });
      if (this.portal.deployment) portalSignIn.publishTo(this.portal.deployment);
    }
    this.portalSignIn = portalSignIn;
    if (this.httpApi.domainName === undefined) {
      Annotations.of(this.httpApi).addInfo(
        "the HTTP API keeps its default execute-api endpoint as CloudFront's origin; requests that come to it without CloudFront's origin-verify header are refused by the API's functions. Set apiDomainName and apiCertificateArn to disable the endpoint as well.",
      );
    }

    this.operations = new Operations(this, 'Operations', {
      stage: config.stage,
      encryptionKey: operationsKey,
      alarmEmail: config.alarmEmail,
      deadLetterQueues: [...stateful.deadLetterQueues, { name: 'Sweep DLQ', queue: this.sweepDeadLetterQueue }],
      functions: this.functions,
      ...(this.mailer ? { mailFunctions: [this.mailer.mailer, this.mailer.feedback] } : {}),
      api: this.httpApi.api,
      sweepEveryMinutes: config.sweepEveryMinutes,
      smsMonthlySpendLimitUsd: config.smsMonthlySpendLimitUsd,
    });

    this.reconciliation = new Reconciliation(this, 'Reconciliation', {
      stage: config.stage,
      handler: reconcile,
      alarmTopic: this.operations.alarmTopic,
      deadLetterQueue: this.sweepDeadLetterQueue,
      encryptionKey: operationsKey,
    });

    new CfnOutput(this, 'PortalUrl', { value: `https://${this.portal.distribution.distributionDomainName}` });
    // Callers (the merchant's backend, the providers' webhooks) go through CloudFront: the API refuses anything else.
    new CfnOutput(this, 'ApiUrl', { value: `https://${this.portal.distribution.distributionDomainName}` });
    if (this.webhookSecret) new CfnOutput(this, 'WebhookSecretArn', { value: this.webhookSecret.secretArn });
    if (stateful.paymentSecret) new CfnOutput(this, 'PaymentSecretName', { value: stateful.paymentSecret.secretName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.operations.dashboard.dashboardName });
    if (identity !== undefined) {
      new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId });
      if (portalSignIn) new CfnOutput(this, 'PortalClientId', { value: portalSignIn.client.userPoolClientId });
      new CfnOutput(this, 'BackendClientId', { value: identity.backendClient.userPoolClientId });
      new CfnOutput(this, 'TokenEndpoint', { value: `${identity.domain.baseUrl()}/oauth2/token` });
    }
  }
}
