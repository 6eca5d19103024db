import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedules, table } from '../../infra/resources.ts';
import { METRICS_NAMESPACE } from '../../shared/ports/metrics.port.ts';
import { logicalIdOf, refersTo, removeDir, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

describe('Construct: Reconciliation', () => {
  let synthesized: Synthesized;
  let resources: Record<string, { Properties: Record<string, any> }>;
  const reconcileId = () => logicalIdOf(synthesized.stateless.functions.reconcile);
  const statementsOfReconcile = (): any[] => {
    const roleId = logicalIdOf(synthesized.stateless.functions.reconcile.executionRole);
    return resourcesOfType(synthesized.statelessTemplate, 'AWS::IAM::Policy')
      .filter(([, p]) => refersTo(p.Properties.Roles, roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  };
  const actionsOf = (s: { Action: string | string[] }) => [s.Action].flat();

  beforeAll(() => {
    synthesized = synthesize();
    resources = synthesized.statelessTemplate.toJSON().Resources;
  });
  afterAll(() => removeDir(synthesized.outdir));

  it('runs the reconcile function daily at 10:30 Beijing time, after the wallets publish their bills, retried and dead-lettered', () => {
    // Act
    const [[, schedule] = ['', { Properties: {} }], ...others] = resourcesOfType(synthesized.statelessTemplate, 'AWS::Scheduler::Schedule').filter(([, s]) =>
      refersTo(s.Properties.Target.Arn, reconcileId()),
    );

    // Assess
    expect(others).toEqual([]);
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(30 10 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(synthesized.stateless.sweepDeadLetterQueue), 'Arn'] } },
      },
    });
    expect(JSON.parse(schedule.Properties.Target.Input)).toMatchObject({ schedule: schedules.reconciliation.id, scheduledTime: '<aws.scheduler.scheduled-time>' });
  });

  it('lets the reconcile function read the table and its indexes and put items, and dead-letter its failed runs, nothing else', () => {
    // Prepare
    const tableId = logicalIdOf(synthesized.stateful.table.table);

    // Act
    const statements = statementsOfReconcile();
    const dynamo = statements.flatMap(actionsOf).filter((a: string) => a.startsWith('dynamodb:'));

    // Assess
    expect([...new Set(dynamo)].sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'].sort());
    expect(statements.filter((s) => refersTo(s.Resource, tableId)).length).toBeGreaterThan(0);
    expect(JSON.stringify(statements)).toContain(`/index/${table.indexes.reconciliation.name}`);
    expect(statements.flatMap(actionsOf).filter((a: string) => a.startsWith('sns:') || a.endsWith('*'))).toEqual([]);
    // SQS only to dead-letter its own failed asynchronous invocations.
    const dlqId = logicalIdOf(synthesized.stateless.sweepDeadLetterQueue);
    for (const s of statements.filter((st) => actionsOf(st).some((a: string) => a.startsWith('sqs:')))) {
      expect(actionsOf(s)).toEqual(['sqs:SendMessage']);
      expect(refersTo(s.Resource, dlqId)).toBe(true);
    }
  });

  it('alarms on any reconciliation difference and on a failed run, notifying the alarm topic', () => {
    // Prepare
    const topicId = logicalIdOf(synthesized.stateless.operations.alarmTopic);
    const alarms = resourcesOfType(synthesized.statelessTemplate, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

    // Act
    const differences = alarms.find((a) => a.MetricName === 'ReconciliationDifferences');
    const failures = alarms.find((a) => a.MetricName === 'Errors' && refersTo(a.Dimensions, reconcileId()));

    // Assess
    expect(differences).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    expect(failures).toMatchObject({ Threshold: 0, AlarmActions: [{ Ref: topicId }] });
  });

  it('adds the sparse reconciliation index to the table', () => {
    // Act
    const [[, tableResource] = ['', { Properties: {} }]] = resourcesOfType(synthesized.statefulTemplate, 'AWS::DynamoDB::Table');

    // Assess
    expect(tableResource.Properties.GlobalSecondaryIndexes).toContainEqual(
      expect.objectContaining({
        IndexName: 'reconciliation',
        KeySchema: [
          { AttributeName: 'gsi3pk', KeyType: 'HASH' },
          { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
        ],
      }),
    );
    expect(resources[reconcileId()]!.Properties.Timeout).toBe(300);
  });
});
