import { App, Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_CONFIG, ROUTE_GROUPS } from '../../functions/api/app.ts';
import { createApp } from '../../functions/api/frame.ts';
import { BUSINESS_METRICS, METRICS_NAMESPACE } from '../../infra/aws/constructs/operations.ts';
import { addNagChecks } from '../../infra/aws/nag.ts';
import { API_PATHS_BEHIND_CDN, type FunctionKey } from '../../infra/aws/stateless-stack.ts';
import { queues, schedules } from '../../infra/resources.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { ENV } from '../../shared/config/env.ts';
import { METRIC_SERVICES } from '../../shared/ports/metrics.port.ts';
import { logicalIdOf, refersTo, removeDir, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

/** Every acknowledgement in the tree: where, which finding, why. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

type Resource = { Properties: Record<string, any>; [key: string]: any };

describe('Stack: Stateless', () => {
  let synthesized: Synthesized;
  let template: Template;
  let resources: Record<string, Resource>;
  const fn = (key: FunctionKey): Resource => resources[logicalIdOf(synthesized.stateless.functions[key])]!;
  const policyStatementsOf = (key: FunctionKey): any[] => {
    const roleId = logicalIdOf(synthesized.stateless.functions[key].executionRole);
    return resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => refersTo(p.Properties.Roles, roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  };
  const actionsOf = (statement: { Action: string | string[] }) => [statement.Action].flat();
  const statefulId = (construct: Parameters<typeof logicalIdOf>[0]) => logicalIdOf(construct);

  beforeAll(() => {
    synthesized = synthesize();
    template = synthesized.statelessTemplate;
    resources = template.toJSON().Resources;
  });
  afterAll(() => removeDir(synthesized.outdir));

  describe('Resource: functions', () => {
    it('runs every function on arm64 and Node.js 22 with active tracing, explicit memory and timeout', () => {
      // Act
      const functions = resourcesOfType(template, 'AWS::Lambda::Function');

      // Assess
      expect(functions).toHaveLength(7);
      for (const [, lambda] of functions) {
        expect(lambda.Properties).toMatchObject({
          Architectures: ['arm64'],
          Runtime: 'nodejs22.x',
          TracingConfig: { Mode: 'Active' },
          Handler: 'index.handler',
        });
        expect(lambda.Properties.MemorySize).toBeGreaterThanOrEqual(128);
        expect(lambda.Properties.Timeout).toBeGreaterThan(3);
      }
    });

    it("sends every function's logs to its own log group with a retention period", () => {
      for (const key of Object.keys(synthesized.stateless.functions) as FunctionKey[]) {
        // Prepare
        const logGroupId = logicalIdOf(synthesized.stateless.functions[key].functionLogGroup);

        // Act
        const logGroup = resources[logGroupId]!;

        // Assess
        expect(fn(key).Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
        expect(logGroup.Properties.RetentionInDays).toBe(synthesized.config.logRetentionDays);
      }
    });

    it('attaches no AWS managed policy to any function role', () => {
      for (const key of Object.keys(synthesized.stateless.functions) as FunctionKey[]) {
        // Act
        const role = resources[logicalIdOf(synthesized.stateless.functions[key].executionRole)]!;

        // Assess
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it("sets each function's environment through the bind helpers, with the names of shared/config/env.ts", () => {
      // Prepare
      const names = (key: FunctionKey) => Object.keys(fn(key).Properties.Environment.Variables).sort();

      // Assess
      expect(names('sweep')).toEqual([ENV.agendaShards, ENV.attemptsQueueUrl, ENV.noticesQueueUrl, 'NODE_ENV', ENV.stage, ENV.tableName].sort());
      expect(names('attemptWorker')).toEqual([ENV.agendaShards, ENV.billingEventsTopicArn, 'NODE_ENV', ENV.stage, ENV.gateway, ENV.tableName].sort());
      expect(names('notifier')).toEqual([ENV.agendaShards, ENV.emailTopicArn, 'NODE_ENV', ENV.smsCounterKey, ENV.stage, ENV.tableName].sort());
      expect(names('reconcile')).toEqual([ENV.agendaShards, 'NODE_ENV', ENV.stage, ENV.gateway, ENV.tableName].sort());
      expect(names('api')).toEqual(
        [
          ENV.adminScope,
          ENV.agendaShards,
          ENV.attemptsQueueUrl,
          ENV.billingEventsTopicArn,
          ENV.gateway,
          ENV.jwtAudience,
          ENV.jwtIssuer,
          'NODE_ENV',
          ENV.originVerifySecret,
          ENV.stage,
          ENV.tableName,
        ].sort(),
      );
      expect(names('opsApi')).toEqual(
        [
          ENV.adminScope,
          ENV.agendaShards,
          ENV.attemptsDlqUrl,
          ENV.emailFeedbackDlqUrl,
          ENV.emailsDlqUrl,
          ENV.gateway,
          ENV.jwtAudience,
          ENV.jwtIssuer,
          'NODE_ENV',
          ENV.noticesDlqUrl,
          ENV.originVerifySecret,
          ENV.stage,
          ENV.tableName,
        ].sort(),
      );
      // A provider signs its webhooks: no token is verified here, so no identity provider is named.
      expect(names('webhooks')).toEqual(
        [ENV.agendaShards, ENV.billingEventsTopicArn, ENV.gateway, 'NODE_ENV', ENV.originVerifySecret, ENV.stage, ENV.tableName, ENV.webhookSecret].sort(),
      );
      // The stage is a dimension of every metric: two stages in one account never merge.
      for (const key of Object.keys(synthesized.stateless.functions) as FunctionKey[]) expect(fn(key).Properties.Environment.Variables[ENV.stage]).toBe(synthesized.config.stage);
    });

    it('passes the webhook secret as a Secrets Manager dynamic reference, never as a value', () => {
      // Act
      const value = fn('webhooks').Properties.Environment.Variables[ENV.webhookSecret];

      // Assess
      expect(JSON.stringify(value)).toContain('{{resolve:secretsmanager:');
    });

    it('grants table access on the table and its indexes, and never Scan', () => {
      // Prepare
      const tableId = statefulId(synthesized.stateful.table.table);

      for (const key of Object.keys(synthesized.stateless.functions) as FunctionKey[]) {
        // Act
        const statements = policyStatementsOf(key);
        const onTable = statements.filter((s) => refersTo(s.Resource, tableId));

        // Assess
        // The reconcile function and the operations console read, and put reconciliation reports.
        expect(onTable.flatMap(actionsOf)).toContain(key === 'reconcile' || key === 'opsApi' ? 'dynamodb:PutItem' : 'dynamodb:UpdateItem');
        if (key === 'opsApi') expect(onTable.flatMap(actionsOf)).not.toContain('dynamodb:UpdateItem');
        expect(JSON.stringify(onTable)).toContain('/index/agenda');
        expect(JSON.stringify(onTable)).toContain('/index/reconciliation');
        expect(JSON.stringify(onTable)).toContain('/index/byCustomer');
        expect(statements.flatMap(actionsOf).filter((a: string) => a.includes('Scan') || a.endsWith('*'))).toEqual([]);
      }
    });

    it('lets only the sweep, the api and the dead-letter redrive send to the attempts queue, and only the worker, the api and the webhooks publish billing events', () => {
      // Prepare
      const attemptsId = statefulId(synthesized.stateful.queues.repaymentAttempts.queue);
      const billingId = statefulId(synthesized.stateful.topics.billingEvents.topic);
      const can = (key: FunctionKey, action: string, id: string) => policyStatementsOf(key).some((s) => actionsOf(s).includes(action) && refersTo(s.Resource, id));

      // Assess
      const keys = Object.keys(synthesized.stateless.functions) as FunctionKey[];
      // The operations console sends only what it redrives from the queue's dead letters.
      expect(keys.filter((k) => can(k, 'sqs:SendMessage', attemptsId)).sort()).toEqual(['api', 'opsApi', 'sweep']);
      expect(keys.filter((k) => can(k, 'sns:Publish', billingId)).sort()).toEqual(['api', 'attemptWorker', 'webhooks']);
    });

    it('lets only the operations console (opsApi) redrive dead letters, by move task, on the dead-letter queues and back to their own queues', () => {
      // Prepare
      const { repaymentAttempts, notices, emails, emailFeedback } = synthesized.stateful.queues;
      const redriven = [repaymentAttempts, notices, emails, emailFeedback];
      const dlqIds = redriven.map((q) => statefulId(q.deadLetterQueue));
      const moveStatements = (key: FunctionKey) => policyStatementsOf(key).filter((s) => actionsOf(s).includes('sqs:StartMessageMoveTask'));

      // Act
      const statements = moveStatements('opsApi');

      // Assess
      expect((Object.keys(synthesized.stateless.functions) as FunctionKey[]).filter((k) => k !== 'opsApi').flatMap(moveStatements)).toEqual([]);
      // (CDK merges the queues' statements into one naming them all.)
      const resourcesGranted = statements.flatMap((s) => [s.Resource].flat());
      expect(resourcesGranted).toHaveLength(redriven.length);
      for (const id of dlqIds) expect(resourcesGranted.some((r) => refersTo(r, id))).toBe(true);
      for (const statement of statements) {
        expect(actionsOf(statement).sort()).toEqual(
          ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ListMessageMoveTasks', 'sqs:ReceiveMessage', 'sqs:StartMessageMoveTask'].sort(),
        );
      }
      const sendsTo = (id: string) => policyStatementsOf('opsApi').some((s) => actionsOf(s).includes('sqs:SendMessage') && refersTo(s.Resource, id));
      for (const q of redriven) expect(sendsTo(statefulId(q.queue))).toBe(true);
      expect(dlqIds.some(sendsTo)).toBe(false);
      for (const name of [ENV.attemptsDlqUrl, ENV.noticesDlqUrl, ENV.emailsDlqUrl, ENV.emailFeedbackDlqUrl])
        expect(fn('opsApi').Properties.Environment.Variables[name]).toBeDefined();
    });

    it('gives the notifier SMS publishing in a policy of its own, and email through its topic only', () => {
      // Prepare
      const emailTopicId = statefulId(synthesized.stateful.topics.emailDeliveries.topic);

      // Act
      const statements = policyStatementsOf('notifier');
      const wildcard = statements.filter((s) => s.Resource === '*');

      // Assess
      expect(wildcard).toEqual([expect.objectContaining({ Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'] })]);
      expect(statements).toContainEqual({ Sid: 'PublishSmsToPhoneNumbers', Effect: 'Allow', Action: 'sns:Publish', NotResource: 'arn:aws:sns:*:*:*' });
      expect(statements.some((s) => actionsOf(s).includes('sns:Publish') && refersTo(s.Resource, emailTopicId))).toBe(true);
    });

    it('limits the use of the data key to DynamoDB, SQS and SNS calls (kms:ViaService)', () => {
      // Prepare
      const dataKeyId = statefulId(synthesized.stateful.dataKey);

      // Act
      const keyStatements = policyStatementsOf('api').filter((s) => refersTo(s.Resource, dataKeyId));

      // Assess
      expect(keyStatements.length).toBeGreaterThan(0);
      for (const statement of keyStatements) {
        expect(JSON.stringify(statement.Condition)).toMatch(/kms:ViaService/);
      }
    });
  });

  describe('Resource: event source mappings', () => {
    it('consumes each queue with the batch size and maximum concurrency of infra/resources.ts, reporting batch item failures', () => {
      for (const [key, consumer] of [
        ['repaymentAttempts', 'attemptWorker'],
        ['notices', 'notifier'],
      ] as const) {
        // Prepare
        const definition = queues[key];
        const queueId = statefulId(synthesized.stateful.queues[key].queue);

        // Act
        const mapping = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').find(([, m]) => refersTo(m.Properties.EventSourceArn, queueId));

        // Assess
        expect(mapping?.[1].Properties).toMatchObject({
          FunctionName: { Ref: logicalIdOf(synthesized.stateless.functions[consumer]) },
          BatchSize: definition.batchSize,
          ScalingConfig: { MaximumConcurrency: definition.maxConcurrency },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      }
    });

    it("keeps every queue's visibility timeout at least 6 times its consumer's timeout", () => {
      // Prepare
      const statefulResources = synthesized.statefulTemplate.toJSON().Resources;

      for (const [key, consumer] of [
        ['repaymentAttempts', 'attemptWorker'],
        ['notices', 'notifier'],
      ] as const) {
        // Act
        const visibility = statefulResources[statefulId(synthesized.stateful.queues[key].queue)].Properties.VisibilityTimeout;
        const timeout = fn(consumer).Properties.Timeout;

        // Assess
        expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
      }
    });
  });

  describe('Resource: sweep schedule', () => {
    it('invokes the sweep every few minutes with a retry policy and a dead-letter queue', () => {
      // Prepare
      const dlqId = logicalIdOf(synthesized.stateless.sweepDeadLetterQueue);

      // Act
      const sweepId = logicalIdOf(synthesized.stateless.functions.sweep);
      const all = resourcesOfType(template, 'AWS::Scheduler::Schedule');
      const [[, schedule] = ['', { Properties: {} }], ...others] = all.filter(([, s]) => refersTo(s.Properties.Target.Arn, sweepId));

      // Assess
      expect(others).toEqual([]);
      expect(all).toHaveLength(Object.keys(schedules).length);
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: `rate(${schedules.sweep.everyMinutes} minutes)`,
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [logicalIdOf(synthesized.stateless.functions.sweep), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: schedules.sweep.everyMinutes * 60 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        },
      });
    });

    it('dead-letters sweep invocations that fail all retries, into an encrypted queue the function may write to', () => {
      // Prepare
      const dlqId = logicalIdOf(synthesized.stateless.sweepDeadLetterQueue);

      // Act
      const sweep = fn('sweep');
      const dlq = resources[dlqId]!;

      // Assess
      expect(sweep.Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } });
      expect(dlq.Properties.KmsMasterKeyId).toBeDefined();
      expect(policyStatementsOf('sweep').some((s) => actionsOf(s).includes('kms:GenerateDataKey') && !refersTo(s.Resource, 'GetStackOutput'))).toBe(true);
    });
  });

  describe('Resource: HTTP API', () => {
    const routes = () => Object.fromEntries(resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey as string, r.Properties]));

    it('verifies JWTs against the user pool: its issuer, its app clients as audience', () => {
      // Prepare
      const identity = synthesized.stateful.identity!;

      // Act
      const [[, authorizer] = ['', { Properties: {} }]] = resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer');

      // Assess
      expect(authorizer.Properties.AuthorizerType).toBe('JWT');
      expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
      expect(refersTo(authorizer.Properties.JwtConfiguration.Issuer, logicalIdOf(identity.userPool))).toBe(true);
      expect(authorizer.Properties.JwtConfiguration.Audience).toHaveLength(2);
      expect(refersTo(authorizer.Properties.JwtConfiguration.Audience, logicalIdOf(synthesized.stateless.portalSignIn!.client))).toBe(true);
    });

    it('requires a JWT on ANY /v1/{proxy+} and the admin scope on the admin routes', () => {
      // Act
      const all = routes();

      // Assess
      expect(all['ANY /v1/{proxy+}']).toMatchObject({ AuthorizationType: 'JWT' });
      for (const key of ['POST /v1/customers', 'POST /v1/plans', 'POST /v1/plans/{planId}/cancel', 'ANY /v1/ops/{proxy+}', 'GET /v1/ops/agenda']) {
        expect(all[key]).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['repayflow/admin'] });
      }
    });

    /** The function each gateway route invokes: a route's target is an integration, whose URI is its function's ARN. */
    const servedBy = (): Record<string, FunctionKey | undefined> => {
      const integrations = Object.fromEntries(resourcesOfType(template, 'AWS::ApiGatewayV2::Integration').map(([id, i]) => [id, i.Properties]));
      const functionOf = (route: Record<string, unknown>) => {
        const target = JSON.stringify(route.Target);
        const integrationId = Object.keys(integrations).find((id) => target.includes(id))!;
        return (Object.keys(synthesized.stateless.functions) as FunctionKey[]).find((key) =>
          refersTo(integrations[integrationId]!.IntegrationUri, logicalIdOf(synthesized.stateless.functions[key])),
        );
      };
      return Object.fromEntries(Object.entries(routes()).map(([key, route]) => [key, functionOf(route)]));
    };

    it('sends each route to the function that serves its group: operations to opsApi, webhooks to webhooks, the rest to api', () => {
      // Act
      const served = servedBy();

      // Assess
      const byFunction = (key: FunctionKey) =>
        Object.entries(served)
          .filter(([, f]) => f === key)
          .map(([route]) => route)
          .sort();
      expect(byFunction('webhooks')).toEqual(['POST /v1/webhooks/{provider}']);
      expect(byFunction('opsApi')).toEqual(
        [
          'ANY /v1/ops/{proxy+}',
          'GET /v1/ops/agenda',
          'GET /v1/ops/dead-letters',
          'GET /v1/ops/dead-letters/{queue}/messages',
          'GET /v1/ops/failed-attempts',
          'GET /v1/ops/metrics/daily',
          'GET /v1/ops/notices',
          'GET /v1/ops/reconciliation',
          'POST /v1/ops/dead-letters/{queue}/redrive',
        ].sort(),
      );
      expect(byFunction('api')).toEqual(
        [
          'ANY /v1/{proxy+}',
          'GET /docs',
          'GET /health',
          'GET /openapi.json',
          'POST /v1/customers',
          'POST /v1/plans',
          'POST /v1/plans/{planId}/cancel',
          'POST /v1/support/cases/{caseId}/approve',
          'POST /v1/support/cases/{caseId}/decline',
        ].sort(),
      );
      // Each function may be invoked by this API: one permission per function, for all its routes.
      const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com');
      for (const key of ['api', 'opsApi', 'webhooks'] as const) {
        expect(permissions.filter(([, p]) => refersTo(p.Properties.FunctionName, logicalIdOf(synthesized.stateless.functions[key])))).toHaveLength(1);
      }
    });

    it("routes every operation of a route group (functions/api/app.ts) to that group's function", () => {
      // Prepare: API Gateway picks a route without a greedy path over one with it, the longest
      // greedy path among those, and the route of the request's method over ANY.
      const served = servedBy();
      const matcher = (routePath: string) => new RegExp(`^${routePath.replace(/\{[^}]+\+\}/g, '.+').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const rank = (key: string) => {
        const [method, routePath] = key.split(' ') as [string, string];
        return [routePath.includes('+}') ? 1 : 0, -routePath.length, method === 'ANY' ? 1 : 0];
      };
      const byRank = (a: string, b: string) => {
        const [ra, rb] = [rank(a), rank(b)];
        return ra[0]! - rb[0]! || ra[1]! - rb[1]! || ra[2]! - rb[2]!;
      };
      const gatewayRouteOf = (method: string, path: string) =>
        Object.keys(served)
          .filter((key) => {
            const [routeMethod, routePath] = key.split(' ') as [string, string];
            return (routeMethod === method || routeMethod === 'ANY') && matcher(routePath).test(path.replace(/\{[^}]+\}/g, 'x'));
          })
          .sort(byRank)[0]!;

      for (const [group, routeGroup] of Object.entries(ROUTE_GROUPS) as Array<[keyof typeof ROUTE_GROUPS, (typeof ROUTE_GROUPS)[keyof typeof ROUTE_GROUPS]]>) {
        // Act: the operations the group's own router declares.
        const { paths = {} } = createApp({} as Deps, async () => undefined, {}, [routeGroup]).getOpenAPI31Document(OPENAPI_CONFIG);
        const operations = Object.entries(paths).flatMap(([path, item]) => Object.keys(item ?? {}).map((method) => [method.toUpperCase(), path] as const));

        // Assess
        expect(operations.length, group).toBeGreaterThan(0);
        for (const [method, path] of operations) expect(served[gatewayRouteOf(method, path)], `${method} ${path}`).toBe(group);
      }
    });

    it('leaves the webhook route without the JWT authorizer (the function checks its HMAC signature)', () => {
      // Assess
      expect(routes()['POST /v1/webhooks/{provider}']).toMatchObject({ AuthorizationType: 'NONE' });
      expect(routes()['POST /v1/webhooks/{provider}']?.AuthorizerId).toBeUndefined();
    });

    it('leaves exactly health, the OpenAPI document and the docs page public besides the webhook', () => {
      // Act
      const open = Object.entries(routes())
        .filter(([, r]) => r.AuthorizationType === 'NONE')
        .map(([key]) => key)
        .sort();

      // Assess
      expect(open).toEqual(['GET /docs', 'GET /health', 'GET /openapi.json', 'POST /v1/webhooks/{provider}']);
    });

    it('throttles the default stage and writes JSON access logs to a log group with retention', () => {
      // Act
      const [[, stage] = ['', { Properties: {} }]] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
      const logGroupId = logicalIdOf(synthesized.stateless.httpApi.accessLogGroup);

      // Assess
      expect(stage.Properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: synthesized.config.apiRateLimit, ThrottlingBurstLimit: synthesized.config.apiBurstLimit },
        AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      });
      expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
      expect(resources[logGroupId]!.Properties.RetentionInDays).toBe(synthesized.config.logRetentionDays);
    });
  });

  describe('Resource: portal hosting', () => {
    it('keeps the site bucket private, encrypted, TLS-only and access-logged', () => {
      // Prepare
      const bucketId = logicalIdOf(synthesized.stateless.portal.bucket);

      // Act
      const bucket = resources[bucketId]!;
      const [, policy] = resourcesOfType(template, 'AWS::S3::BucketPolicy').find(([, p]) => refersTo(p.Properties.Bucket, bucketId))!;

      // Assess
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(synthesized.stateless.portal.logsBucket) }, LogFilePrefix: 'site/' },
      });
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    it('serves the bucket through CloudFront with origin access control and index.html as root object', () => {
      // Act
      const [[, distribution] = ['', { Properties: {} }]] = resourcesOfType(template, 'AWS::CloudFront::Distribution');
      const config = distribution.Properties.DistributionConfig;
      const s3Origin = config.Origins.find((o: any) => o.S3OriginConfig !== undefined);

      // Assess
      expect(config.DefaultRootObject).toBe('index.html');
      expect(s3Origin.OriginAccessControlId).toBeDefined();
      expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
      expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(config.Logging).toBeDefined();
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
      });
    });

    it('forwards the API paths to the HTTP API without caching, so the portal calls its own origin', () => {
      // Act
      const [[, distribution] = ['', { Properties: {} }]] = resourcesOfType(template, 'AWS::CloudFront::Distribution');
      const behaviors = distribution.Properties.DistributionConfig.CacheBehaviors as any[];

      // Assess
      expect(behaviors.map((b) => b.PathPattern)).toEqual([...API_PATHS_BEHIND_CDN]);
      for (const behavior of behaviors) {
        expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
        expect(behavior.ViewerProtocolPolicy).toBe('https-only');
      }
    });

    it('deploys no portal files when web/dist does not exist', () => {
      // Assess
      expect(synthesized.stateless.portal.deployment).toBeUndefined();
      expect(resourcesOfType(template, 'Custom::CDKBucketDeployment')).toEqual([]);
    });
  });

  describe('Resource: operations', () => {
    const alarms = () => resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

    it('alarms on every dead-letter queue as soon as one message is visible', () => {
      // Prepare
      const dlqIds = [...synthesized.stateful.deadLetterQueues.map((d) => logicalIdOf(d.queue)), logicalIdOf(synthesized.stateless.sweepDeadLetterQueue)];
      const allQueues = resourcesOfType(synthesized.statefulTemplate, 'AWS::SQS::Queue').length + resourcesOfType(template, 'AWS::SQS::Queue').length;

      // Act
      const dlqAlarms = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');

      // Assess
      expect(dlqIds).toHaveLength(allQueues - Object.keys(queues).length);
      for (const dlqId of dlqIds) {
        const alarm = dlqAlarms.find((a) => refersTo(a.Dimensions, dlqId));
        expect(alarm, `alarm for ${dlqId}`).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Namespace: 'AWS/SQS' });
      }
    });

    it('alarms on sweep errors, the attempt-worker failure rate, SMS spend and API 5xx, notifying the alarm topic', () => {
      // Prepare
      const topicId = logicalIdOf(synthesized.stateless.operations.alarmTopic);
      const sweepId = logicalIdOf(synthesized.stateless.functions.sweep);

      // Act
      const all = alarms();

      // Assess
      expect(all.some((a) => a.MetricName === 'Errors' && refersTo(a.Dimensions, sweepId))).toBe(true);
      expect(all.some((a) => JSON.stringify(a.Metrics ?? []).includes('100 * errors / invocations'))).toBe(true);
      expect(all.some((a) => a.Namespace === 'AWS/SNS' && a.MetricName === 'SMSMonthToDateSpentUSD')).toBe(true);
      expect(all.some((a) => a.Namespace === 'AWS/ApiGateway' && a.MetricName === '5xx')).toBe(true);
      for (const alarm of all) {
        expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      }
    });

    it('lets CloudWatch publish to the encrypted alarm topic', () => {
      // Prepare
      const topicId = logicalIdOf(synthesized.stateless.operations.alarmTopic);

      // Act
      const keys = resourcesOfType(template, 'AWS::KMS::Key');
      const [, topicPolicy] = resourcesOfType(template, 'AWS::SNS::TopicPolicy').find(([, p]) => refersTo(p.Properties.Topics, topicId))!;

      // Assess
      expect(topicPolicy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
      );
      expect(JSON.stringify(keys)).toContain('cloudwatch.amazonaws.com');
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keys[0]![0], 'Arn'] } });
    });

    it('shows due, attempted, paid, failed and notices sent on the dashboard, for its own stage', () => {
      // Act
      const [[, dashboard] = ['', { Properties: {} }]] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');
      const body = JSON.stringify(dashboard.Properties.DashboardBody);

      // Assess: each metric filtered on the function that counts it and on this stage.
      for (const metric of Object.keys(BUSINESS_METRICS) as Array<keyof typeof BUSINESS_METRICS>) {
        expect(body).toContain(`\\"${METRICS_NAMESPACE}\\",\\"${metric}\\",\\"service\\",\\"${METRIC_SERVICES[metric]}\\",\\"stage\\",\\"${synthesized.config.stage}\\"`);
      }
      expect(Object.keys(BUSINESS_METRICS).sort()).toEqual([
        'ActionsClaimed',
        'AttemptsMade',
        'NoticesSent',
        'ReconciliationDifferences',
        'RepaymentsFailed',
        'RepaymentsSucceeded',
      ]);
    });
  });

  describe('Validation: cdk-nag', () => {
    it('reports no unacknowledged finding from the AwsSolutions and Serverless packs', () => {
      // Act
      const reports = [new AwsSolutionsChecks(), new ServerlessChecks()].map((pack) => pack.validateScope(synthesized.app));

      // Assess
      expect(reports.flatMap((r) => r.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((x) => x.constructPath).join(', ')}`))).toEqual([]);
      expect(reports.every((r) => r.success)).toBe(true);
    });

    it('fails synthesis when a construct has an unacknowledged finding', () => {
      // Prepare
      const app = new App();
      const stack = new Stack(app, 'Careless');
      new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      addNagChecks(app);

      // Act
      const synth = () => app.synth();

      // Assess
      expect(synth).toThrow(/AwsSolutions-SQS2/);
    });

    it('gives every acknowledgement a specific reason', () => {
      // Act
      const all = acknowledgements(synthesized.app);

      // Assess
      expect(all.length).toBeGreaterThan(0);
      for (const { path, id, reason } of all) {
        expect(reason.length, `${id} on ${path}`).toBeGreaterThanOrEqual(40);
      }
    });

    it('acknowledges wildcard IAM findings only where the service allows nothing narrower', () => {
      // Act
      const wildcards = acknowledgements(synthesized.app).filter(({ id }) => id.startsWith('AwsSolutions-IAM5'));

      // Assess
      const distinct = [...new Set(wildcards.map(({ id, reason }) => `${id} ${reason}`))].sort();
      expect(distinct).toEqual([
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] X-Ray active tracing/),
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<ReconcileFunction[0-9A-F]+\.Arn>:\*\] lambda:InvokeFunction/),
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<SweepFunction[0-9A-F]+\.Arn>:\*\] lambda:InvokeFunction/),
      ]);
    });
  });
});
