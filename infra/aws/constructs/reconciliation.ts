/**
 * The daily reconciliation: an EventBridge Scheduler cron in the reconciliation zone that
 * invokes the reconcile function (retried, dead-lettered), an alarm on the differences it
 * counts (`ReconciliationDifferences`, EMF) and one on the function failing (a day left
 * unreconciled). Both alarms notify the operations alarm topic.
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, metricDimensions } from '../../../shared/ports/metrics.port.ts';
import { schedules } from '../../resources.ts';
import { acknowledge } from '../nag.ts';
import type { RepayflowFunction } from './repayflow-function.ts';

export interface ReconciliationProps {
  readonly stage: string;
  readonly handler: RepayflowFunction;
  readonly alarmTopic: sns.ITopic;
  /** Where undeliverable scheduled invocations go (encrypted with `encryptionKey`). */
  readonly deadLetterQueue: sqs.IQueue;
  readonly encryptionKey: kms.IKey;
}

export class Reconciliation extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly differencesAlarm: cloudwatch.Alarm;
  readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ReconciliationProps) {
    super(scope, id);
    const { handler } = props;
    const def = schedules.reconciliation;

    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler invokes the daily reconciliation and dead-letters what it cannot deliver',
    });
    props.encryptionKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    acknowledge(role, {
      [`AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(handler.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`]:
        'lambda:InvokeFunction on the reconcile function and its own versions/aliases (`<function arn>:*`), as granted by grantInvoke; no other function.',
    });

    this.schedule = new scheduler.Schedule(this, `${def.id}Schedule`, {
      description: `repayflow ${props.stage}: reconcile the previous local day with each provider's captures`,
      schedule: scheduler.ScheduleExpression.cron({ minute: String(def.dailyAt.minute), hour: String(def.dailyAt.hour), timeZone: TimeZone.of(def.timeZone) }),
      target: new targets.LambdaInvoke(handler, {
        role,
        // Re-running a day replaces its report, so retrying is safe; the scheduled time names the day.
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: props.deadLetterQueue,
        input: scheduler.ScheduleTargetInput.fromObject({
          source: 'repayflow.scheduler',
          schedule: def.id,
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
          executionId: scheduler.ContextAttribute.executionId,
        }),
      }),
    });

    const action = new actions.SnsAction(props.alarmTopic);
    this.differencesAlarm = new cloudwatch.Alarm(this, 'DifferencesAlarm', {
      alarmDescription:
        'Reconciliation found captures without a succeeded record, records without a capture, or different amounts. See GET /v1/ops/reconciliation?date= for the list.',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'ReconciliationDifferences',
        dimensionsMap: metricDimensions('ReconciliationDifferences', props.stage),
        statistic: cloudwatch.Stats.SUM,
        period: Duration.days(1),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failureAlarm = new cloudwatch.Alarm(this, 'FailureAlarm', {
      alarmDescription: 'The daily reconciliation failed (after retries, the day is in the dead-letter queue): run it again by GET /v1/ops/reconciliation?date=.',
      metric: handler.metricErrors({ period: Duration.days(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.differencesAlarm, this.failureAlarm]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
