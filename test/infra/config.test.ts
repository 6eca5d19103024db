import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, readDeploymentConfig } from '../../infra/aws/config.ts';
import { schedules } from '../../infra/resources.ts';
import { ENV } from '../../shared/config/env.ts';
import { logicalIdOf, ROOT, removeDir, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const configWith = (context: Record<string, unknown>) => readDeploymentConfig(new App({ context }).node);

describe('Function: readDeploymentConfig', () => {
  it('uses the defaults of infra/resources.ts and the Cognito user pool when the context is empty', () => {
    // Act
    const config = configWith({});

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      isProduction: false,
      jwtIssuer: undefined,
      jwtAudience: undefined,
      adminScope: 'repayflow/admin',
      sweepEveryMinutes: schedules.sweep.everyMinutes,
      smsSignature: undefined,
      alarmEmail: undefined,
      logRetentionDays: 30,
    });
  });

  it('splits a comma-separated audience', () => {
    // Act
    const config = configWith({ jwtIssuer: 'https://idp.example.com/', jwtAudience: 'portal, backend' });

    // Assess
    expect(config.jwtAudience).toEqual(['portal', 'backend']);
  });

  it.each([
    [{ [CONTEXT_KEYS.stage]: 'Prod!' }, /stage/],
    [{ [CONTEXT_KEYS.jwtIssuer]: 'https://idp.example.com/' }, /together/],
    [{ [CONTEXT_KEYS.jwtAudience]: 'client' }, /together/],
    [{ [CONTEXT_KEYS.jwtIssuer]: 'http://idp.example.com/', [CONTEXT_KEYS.jwtAudience]: 'x' }, /https/],
    [{ [CONTEXT_KEYS.sweepEveryMinutes]: '0' }, /sweepEveryMinutes/],
    [{ [CONTEXT_KEYS.sweepEveryMinutes]: 'often' }, /sweepEveryMinutes/],
    [{ [CONTEXT_KEYS.logRetentionDays]: '31' }, /CloudWatch Logs accepts/],
    [{ [CONTEXT_KEYS.alarmEmail]: 'ops' }, /email/],
    [{ [CONTEXT_KEYS.mfa]: 'sometimes' }, /mfa/],
    [{ [CONTEXT_KEYS.retentionDays]: '{"notices":0}' }, /retentionDays.*notices/],
    [{ [CONTEXT_KEYS.retentionDays]: '{"forever":1}' }, /retentionDays/],
    [{ [CONTEXT_KEYS.retentionDays]: 'a year' }, /retentionDays.*JSON/],
  ])('refuses %j', (context, message) => {
    // Act
    const read = () => configWith(context);

    // Assess
    expect(read).toThrow(message);
  });
});

describe('App: deployed with context overrides', () => {
  let synthesized: Synthesized;
  let stateless: Template;
  const context = {
    [CONTEXT_KEYS.stage]: 'prod',
    [CONTEXT_KEYS.jwtIssuer]: 'https://login.example.com/',
    [CONTEXT_KEYS.jwtAudience]: 'portal-app,merchant-backend',
    [CONTEXT_KEYS.sweepEveryMinutes]: '10',
    [CONTEXT_KEYS.smsSignature]: '【Example Shop】',
    [CONTEXT_KEYS.alarmEmail]: 'ops@example.com',
    [CONTEXT_KEYS.logRetentionDays]: '90',
    [CONTEXT_KEYS.adminScope]: 'merchant-api/ops',
    [CONTEXT_KEYS.retentionDays]: '{"notices":730,"closedPlans":1825}',
  };

  beforeAll(() => {
    // Act (synthesis also runs cdk-nag on this configuration, portal upload function included)
    synthesized = synthesize({ context, webDistPath: `${ROOT}/test/infra/fixtures/web-dist` });
    stateless = synthesized.statelessTemplate;
  });
  afterAll(() => removeDir(synthesized.outdir));

  it('names the stacks after the stage and protects the production stateful stack from deletion', () => {
    // Assess
    expect(synthesized.stateful.stackName).toBe('Repayflow-prod-Stateful');
    expect(synthesized.stateless.stackName).toBe('Repayflow-prod-Stateless');
    expect(synthesized.stateful.terminationProtection).toBe(true);
  });

  it('trusts the external identity provider instead of creating a user pool', () => {
    // Act
    const [[, authorizer] = ['', { Properties: {} }]] = resourcesOfType(stateless, 'AWS::ApiGatewayV2::Authorizer');
    const api = stateless.toJSON().Resources[logicalIdOf(synthesized.stateless.functions.api)];

    // Assess
    expect(synthesized.stateful.identity).toBeUndefined();
    expect(resourcesOfType(synthesized.statefulTemplate, 'AWS::Cognito::UserPool')).toEqual([]);
    expect(authorizer.Properties.JwtConfiguration).toEqual({ Issuer: 'https://login.example.com/', Audience: ['portal-app', 'merchant-backend'] });
    expect(api.Properties.Environment.Variables[ENV.jwtIssuer]).toBe('https://login.example.com/');
    expect(api.Properties.Environment.Variables[ENV.jwtAudience]).toBe('portal-app,merchant-backend');
  });

  it('gives the api function the admin scope its admin routes require, from the same context value', () => {
    // Act
    const api = stateless.toJSON().Resources[logicalIdOf(synthesized.stateless.functions.api)];
    const adminRoutes = resourcesOfType(stateless, 'AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.AuthorizationScopes !== undefined);

    // Assess
    expect(api.Properties.Environment.Variables[ENV.adminScope]).toBe('merchant-api/ops');
    expect(adminRoutes.length).toBeGreaterThanOrEqual(4);
    for (const [, route] of adminRoutes) expect(route.Properties.AuthorizationScopes).toEqual(['merchant-api/ops']);
  });

  it('sweeps at the configured rate and gives the notifier the SMS signature', () => {
    // Act
    const notifier = stateless.toJSON().Resources[logicalIdOf(synthesized.stateless.functions.notifier)];

    // Assess
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(10 minutes)' });
    expect(notifier.Properties.Environment.Variables[ENV.smsSignature]).toBe('【Example Shop】');
  });

  it('gives every function the configured retention days, the defaults filled in', () => {
    // Act
    const resources = stateless.toJSON().Resources;
    const variablesOf = (key: keyof typeof synthesized.stateless.functions) => resources[logicalIdOf(synthesized.stateless.functions[key])].Properties.Environment.Variables;

    // Assess
    for (const key of Object.keys(synthesized.stateless.functions) as Array<keyof typeof synthesized.stateless.functions>) {
      expect(JSON.parse(variablesOf(key)[ENV.retention])).toEqual({ notices: 730, idempotency: 7, webhookEvents: 90, closedPlans: 1825 });
    }
  });

  it('uploads a built portal to the site bucket and invalidates the distribution', () => {
    // Act
    const deployments = resourcesOfType(stateless, 'Custom::CDKBucketDeployment');

    // Assess
    expect(deployments).toHaveLength(1);
    expect(deployments[0]?.[1].Properties).toMatchObject({
      DestinationBucketName: { Ref: expect.stringMatching(/^PortalSiteBucket/) },
      DistributionId: { Ref: expect.stringMatching(/^PortalDistribution/) },
      DistributionPaths: ['/*'],
    });
  });

  it('sends alarms to the configured email address', () => {
    // Assess
    stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalIdOf(synthesized.stateless.operations.alarmTopic) },
    });
  });

  it('keeps production logs for the configured days, also when the stack is deleted', () => {
    // Prepare
    const ours = [...Object.values(synthesized.stateless.functions).map((fn) => logicalIdOf(fn.functionLogGroup)), logicalIdOf(synthesized.stateless.httpApi.accessLogGroup)];

    // Act
    const logGroups = Object.fromEntries(resourcesOfType(stateless, 'AWS::Logs::LogGroup'));

    // Assess
    for (const id of ours) {
      expect(logGroups[id]?.Properties.RetentionInDays).toBe(90);
      expect(logGroups[id]?.DeletionPolicy).toBe('Retain');
    }
  });
});
