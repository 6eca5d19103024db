/**
 * Operations: one alarm topic, the alarms that mean "someone must look", and a dashboard of the
 * business flow (due → attempted → paid / failed → notices sent) next to the plumbing.
 *
 * The business metrics are CloudWatch Embedded Metric Format lines that the functions log
 * (Powertools Metrics, one document per invocation), in namespace `Repayflow` with the
 * dimensions `service` and `stage`; the dashboard asks for this stage's, so two stages in one
 * account never merge. CloudWatch turns the lines into metrics, so nothing here has to be granted.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import type { RepayflowFunction } from './repayflow-function.ts';

// The functions emit these (shared/adapters/powertools.ts); one list for code and dashboard.
export { BUSINESS_METRICS, type BusinessMetric, METRICS_NAMESPACE } from '../../../shared/ports/metrics.port.ts';

import { BUSINESS_METRICS, type BusinessMetric, METRICS_NAMESPACE, metricDimensions } from '../../../shared/ports/metrics.port.ts';

/** Share of attempt-worker invocations that may fail (throw) before someone is paged. */
export const WORKER_ERROR_RATE_PERCENT = 5;

export interface OperationsProps {
  readonly stage: string;
  readonly encryptionKey: kms.IKey;
  readonly alarmEmail: string | undefined;
  readonly deadLetterQueues: ReadonlyArray<{ name: string; queue: sqs.IQueue }>;
  readonly functions: {
    readonly api: RepayflowFunction;
    readonly opsApi: RepayflowFunction;
    readonly webhooks: RepayflowFunction;
    readonly sweep: RepayflowFunction;
    readonly attemptWorker: RepayflowFunction;
    readonly notifier: RepayflowFunction;
  };
  /** The mailer and the email-feedback function, when this deployment sends email. */
  readonly mailFunctions?: readonly RepayflowFunction[];
  readonly api: apigw.HttpApi;
  readonly sweepEveryMinutes: number;
  readonly smsMonthlySpendLimitUsd: number;
}

export class Operations extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly deadLetterAlarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `repayflow ${props.stage} alarms`,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    // CloudWatch publishes alarm notifications itself, as a service: the topic policy (which
    // replaces SNS's default one) must allow it, and it must be able to use the topic's key.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    if (props.alarmEmail !== undefined) {
      const subscription = new sns.Subscription(this, 'AlarmEmail', {
        topic: this.alarmTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.alarmEmail,
      });
      acknowledge(subscription, {
        'Serverless-SNSRedrivePolicy': 'An undeliverable alarm email is not worth keeping in a queue: the alarm state stays visible in CloudWatch and on the dashboard.',
      });
    }
    const action = new actions.SnsAction(this.alarmTopic);
    const alarm = (id: string, alarmProps: cloudwatch.AlarmProps): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, id, alarmProps);
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    for (const { name, queue } of props.deadLetterQueues) {
      const id = `${name.replace(/[^A-Za-z0-9]/g, '')}Alarm`;
      this.deadLetterAlarms.push(
        alarm(id, {
          alarmDescription: `${name}: messages are waiting in a dead-letter queue. Inspect them, fix the cause, then redrive.`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    const { api, opsApi, webhooks, sweep, attemptWorker, notifier } = props.functions;
    const sweepPeriod = Duration.minutes(props.sweepEveryMinutes);
    alarm('SweepErrorsAlarm', {
      alarmDescription: 'The sweep failed in two consecutive periods: due reminders, debits and retries are not being enqueued. One failure heals itself at the next sweep.',
      metric: sweep.metricErrors({ period: sweepPeriod.toMinutes() < 5 ? Duration.minutes(5) : sweepPeriod, statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('AttemptWorkerFailureRateAlarm', {
      alarmDescription: `More than ${WORKER_ERROR_RATE_PERCENT}% of attempt-worker invocations failed for 15 minutes (declines are not failures; these are crashes or timeouts).`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
        usingMetrics: {
          errors: attemptWorker.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
          invocations: attemptWorker.metricInvocations({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        },
        label: 'attempt-worker error rate (%)',
        period: Duration.minutes(5),
      }),
      threshold: WORKER_ERROR_RATE_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const smsSpend = new cloudwatch.Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(15),
    });
    alarm('SmsSpendAlarm', {
      alarmDescription: `SMS spend this month passed 80% of the account's ${props.smsMonthlySpendLimitUsd} USD SNS SMS limit; past the limit SNS stops sending SMS.`,
      metric: smsSpend,
      threshold: 0.8 * props.smsMonthlySpendLimitUsd,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('ApiServerErrorsAlarm', {
      alarmDescription: 'The API returned 5xx responses in two consecutive 5-minute periods (bad input is 4xx; 5xx is a fault).',
      metric: props.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.dashboard = this.createDashboard(props, smsSpend, [api, opsApi, webhooks, sweep, attemptWorker, notifier, ...(props.mailFunctions ?? [])]);
  }

  private createDashboard(props: OperationsProps, smsSpend: cloudwatch.Metric, functions: RepayflowFunction[]): cloudwatch.Dashboard {
    const business = (name: BusinessMetric, period = Duration.hours(1)) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: metricDimensions(name, props.stage),
        statistic: cloudwatch.Stats.SUM,
        period,
        label: BUSINESS_METRICS[name],
      });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `repayflow-${props.stage}`,
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# repayflow ${props.stage}\nDue → attempted → paid / failed → notices sent. Alarms go to the alarm topic.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: 'In the selected time range',
        metrics: (Object.keys(BUSINESS_METRICS) as BusinessMetric[]).map((name) => business(name)),
        setPeriodToTimeRange: true,
        width: 24,
        height: 4,
      }),
    );
    dashboard.addWidgets(
      graph('Due', [business('ActionsClaimed')]),
      graph('Attempted', [business('AttemptsMade')]),
      graph('Paid vs failed', [business('RepaymentsSucceeded'), business('RepaymentsFailed')]),
    );
    dashboard.addWidgets(
      graph('Notices sent', [business('NoticesSent')]),
      graph('SMS spend this month (USD)', [smsSpend.with({ label: 'USD' })]),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8, height: 6 }),
    );
    dashboard.addWidgets(
      graph(
        'Dead-letter queues (messages visible)',
        props.deadLetterQueues.map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ label: name, period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        ),
      ),
      graph(
        'Function errors',
        functions.map((fn) => fn.metricErrors({ label: fn.node.id, period: Duration.minutes(5) })),
      ),
      graph(
        'Function duration p99 (ms)',
        functions.map((fn) => fn.metricDuration({ label: fn.node.id, statistic: 'p99', period: Duration.minutes(5) })),
      ),
    );
    dashboard.addWidgets(
      graph('API requests', [props.api.metricCount({ period: Duration.minutes(5) })], 12),
      graph(
        'API errors and latency',
        [props.api.metricClientError({ period: Duration.minutes(5), label: '4xx' }), props.api.metricServerError({ period: Duration.minutes(5), label: '5xx' })],
        12,
      ),
    );
    return dashboard;
  }
}
