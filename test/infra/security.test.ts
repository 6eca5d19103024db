/**
 * Abuse, load and least privilege in the templates: route throttling apart for the webhook and
 * the public routes, the WAF web ACL (us-east-1) on the distribution, reserved concurrency for
 * the api function, SMS publishing that reaches no topic, an invalidation grant on one
 * distribution, no other `Resource: "*"` than X-Ray and CloudWatch metrics, and the Cognito
 * hosted-UI sign-in of the portal (authorization code + PKCE, SMS one-time passwords).
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_AN_SNS_RESOURCE } from '../../infra/aws/constructs/bind.ts';
import { WEBHOOK_ROUTE_KEY } from '../../infra/aws/constructs/http-api.ts';
import { SIGN_IN_CALLBACK_PATH } from '../../infra/aws/constructs/portal-sign-in.ts';
import { EDGE_REGION } from '../../infra/aws/edge-stack.ts';
import { ENV, ORIGIN_VERIFY_HEADER } from '../../shared/config/env.ts';
import { logicalIdOf, ROOT, refersTo, removeDir, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; NotResource?: unknown };

/** Every IAM statement of a template: managed and inline policies, and roles' inline policies. */
function statementsOf(template: Template): Array<{ id: string; statement: Statement }> {
  const policies = [...resourcesOfType(template, 'AWS::IAM::Policy'), ...resourcesOfType(template, 'AWS::IAM::ManagedPolicy')].flatMap(([id, p]) =>
    (p.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ id, statement })),
  );
  const inline = resourcesOfType(template, 'AWS::IAM::Role').flatMap(([id, r]) =>
    ((r.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap((p) => p.PolicyDocument.Statement.map((statement) => ({ id, statement }))),
  );
  return [...policies, ...inline];
}

/** Actions that AWS authorises only on `*`, and that name no data. */
const ONLY_ON_STAR = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets|GetSamplingStatisticSummaries)|cloudwatch:PutMetricData)$/;

describe('Security: abuse, load and least privilege', () => {
  let synthesized: Synthesized;
  let stateless: Template;

  beforeAll(() => {
    // Act (synthesis also runs cdk-nag; a finding throws)
    synthesized = synthesize({ webDistPath: `${ROOT}/test/infra/fixtures/web-dist` });
    stateless = synthesized.statelessTemplate;
  });
  afterAll(() => removeDir(synthesized.outdir));

  describe('Throttling', () => {
    it('throttles the webhook and each public route on their own, apart from the customer routes', () => {
      // Act
      const [[, stage] = ['', { Properties: {} }]] = resourcesOfType(stateless, 'AWS::ApiGatewayV2::Stage');
      const { config } = synthesized;

      // Assess
      expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: config.apiRateLimit, ThrottlingBurstLimit: config.apiBurstLimit });
      expect(stage.Properties.RouteSettings).toEqual({
        [WEBHOOK_ROUTE_KEY]: { ThrottlingRateLimit: config.webhookRateLimit, ThrottlingBurstLimit: config.webhookBurstLimit },
        'GET /health': { ThrottlingRateLimit: config.publicRateLimit, ThrottlingBurstLimit: config.publicBurstLimit },
        'GET /openapi.json': { ThrottlingRateLimit: config.publicRateLimit, ThrottlingBurstLimit: config.publicBurstLimit },
        'GET /docs': { ThrottlingRateLimit: config.publicRateLimit, ThrottlingBurstLimit: config.publicBurstLimit },
      });
      expect(config.webhookRateLimit + config.publicRateLimit).toBeLessThan(config.apiRateLimit);
      // Route settings name routes that exist: the stage is created after them.
      expect(stage.DependsOn?.length ?? 0).toBeGreaterThanOrEqual(4);
    });

    it('reserves concurrency for the api function and for no other', () => {
      // Act
      const functions = resourcesOfType(stateless, 'AWS::Lambda::Function').filter(([, f]) => f.Properties.ReservedConcurrentExecutions !== undefined);

      // Assess
      expect(functions.map(([id]) => id)).toEqual([logicalIdOf(synthesized.stateless.functions.api)]);
      expect(functions[0]![1].Properties.ReservedConcurrentExecutions).toBe(synthesized.config.apiReservedConcurrency);
    });

    it('keeps the execute-api endpoint as CloudFront’s origin without a custom domain, and says so at synth', () => {
      // Act
      const [[, api] = ['', { Properties: {} }]] = resourcesOfType(stateless, 'AWS::ApiGatewayV2::Api');
      const notes = synthesized.stateless.httpApi.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => String(m.data));

      // Assess
      expect(api.Properties.DisableExecuteApiEndpoint ?? false).toBe(false);
      expect(notes.some((w) => w.includes('apiDomainName') && w.includes('origin-verify'))).toBe(true);
    });
  });

  describe('CloudFront is the only way in', () => {
    const apiOriginOf = (template: Template) => {
      const [[, distribution] = ['', { Properties: {} }]] = resourcesOfType(template, 'AWS::CloudFront::Distribution');
      const config = distribution.Properties.DistributionConfig as {
        Origins: Array<{ Id: string; DomainName: unknown; CustomOriginConfig?: unknown; OriginCustomHeaders?: Array<{ HeaderName: string; HeaderValue: unknown }> }>;
        CacheBehaviors: Array<{ PathPattern: string; TargetOriginId: string }>;
      };
      const apiOriginId = config.CacheBehaviors.find((b) => b.PathPattern === '/v1/*')!.TargetOriginId;
      return config.Origins.find((o) => o.Id === apiOriginId)!;
    };
    const secretLogicalId = () => logicalIdOf(synthesized.stateless.originVerifySecret);

    it('sends the origin-verify secret to the API origin, as a dynamic reference to its own secret', () => {
      // Act
      const origin = apiOriginOf(stateless);
      const header = origin.OriginCustomHeaders?.find((h) => h.HeaderName === ORIGIN_VERIFY_HEADER);

      // Assess
      expect(header).toBeDefined();
      expect(JSON.stringify(header!.HeaderValue)).toContain('{{resolve:secretsmanager:');
      expect(refersTo(header!.HeaderValue, secretLogicalId())).toBe(true);
    });

    it('gives the api function the same secret, so it refuses what did not come through CloudFront', () => {
      // Act
      const [, api] = resourcesOfType(stateless, 'AWS::Lambda::Function').find(([id]) => id === logicalIdOf(synthesized.stateless.functions.api))!;
      const value = api.Properties.Environment.Variables[ENV.originVerifySecret];

      // Assess
      expect(JSON.stringify(value)).toContain('{{resolve:secretsmanager:');
      expect(refersTo(value, secretLogicalId())).toBe(true);
      expect(JSON.stringify(value)).toBe(JSON.stringify(apiOriginOf(stateless).OriginCustomHeaders!.find((h) => h.HeaderName === ORIGIN_VERIFY_HEADER)!.HeaderValue));
    });

    it('with a custom domain, disables the execute-api endpoint and sends CloudFront to the domain', () => {
      // Act
      const withDomain = synthesize({
        webDistPath: `${ROOT}/test/infra/fixtures/web-dist`,
        context: { apiDomainName: 'api.repayflow.example', apiCertificateArn: 'arn:aws:acm:ap-east-1:123456789012:certificate/0f0e0d0c-0b0a-4909-8807-060504030201' },
      });
      try {
        const [[, api] = ['', { Properties: {} }]] = resourcesOfType(withDomain.statelessTemplate, 'AWS::ApiGatewayV2::Api');
        const origin = apiOriginOf(withDomain.statelessTemplate);

        // Assess
        expect(api.Properties.DisableExecuteApiEndpoint).toBe(true);
        // The origin is the custom domain (its DomainName resource, whose Ref is the name), not the execute-api endpoint.
        expect(refersTo(origin.DomainName, logicalIdOf(withDomain.stateless.httpApi.domainName!))).toBe(true);
        expect(JSON.stringify(origin.DomainName)).not.toContain('ApiEndpoint');
        expect(origin.OriginCustomHeaders?.map((h) => h.HeaderName)).toContain(ORIGIN_VERIFY_HEADER);
      } finally {
        removeDir(withDomain.outdir);
      }
    });
  });

  describe('AWS WAF', () => {
    it('puts a CLOUDFRONT web ACL with per-IP rate-based rules in a us-east-1 stack', () => {
      // Act
      const acls = resourcesOfType(synthesized.edgeTemplate, 'AWS::WAFv2::WebACL');
      const [, acl] = acls[0]!;
      const rateRules = (acl.Properties.Rules as Array<{ Statement: { RateBasedStatement?: { Limit: number; AggregateKeyType: string } }; Action?: unknown }>).filter(
        (r) => r.Statement.RateBasedStatement,
      );

      // Assess
      expect(synthesized.edge.region).toBe(EDGE_REGION);
      expect(acls).toHaveLength(1);
      expect(acl.Properties.Scope).toBe('CLOUDFRONT');
      expect(rateRules.length).toBeGreaterThanOrEqual(2);
      for (const rule of rateRules) {
        expect(rule.Statement.RateBasedStatement!.AggregateKeyType).toBe('IP');
        expect(rule.Action).toEqual({ Block: {} });
      }
      expect(rateRules.map((r) => r.Statement.RateBasedStatement!.Limit)).toContain(synthesized.config.wafRequestsPer5Minutes);
    });

    it('attaches the web ACL to the portal distribution (read across regions)', () => {
      // Act
      const [[, distribution] = ['', { Properties: {} }]] = resourcesOfType(stateless, 'AWS::CloudFront::Distribution');

      // Assess
      expect(synthesized.stateless.region).not.toBe(EDGE_REGION);
      expect(distribution.Properties.DistributionConfig.WebACLId).toEqual({
        'Fn::GetStackOutput': expect.objectContaining({ StackName: synthesized.edge.stackName, Region: EDGE_REGION, OutputName: expect.stringContaining('PortalWebAcl') }),
      });
    });
  });

  describe('IAM', () => {
    it('lets SMS publishing reach phone numbers and no SNS resource (NotResource arn:aws:sns:*:*:*)', () => {
      // Act
      const sms = [...statementsOf(stateless), ...statementsOf(synthesized.statefulTemplate)].filter(
        ({ statement }) => [statement.Action].flat().includes('sns:Publish') && statement.Resource === undefined,
      );

      // Assess: the notifier's and the Cognito SMS role's
      expect(sms).toHaveLength(2);
      for (const { statement } of sms) expect(statement).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', NotResource: NOT_AN_SNS_RESOURCE });
    });

    it('grants CloudFront invalidations on the portal distribution only', () => {
      // Act
      const invalidations = statementsOf(stateless).filter(({ statement }) => [statement.Action].flat().some((a) => a.startsWith('cloudfront:')));
      const distributionId = logicalIdOf(synthesized.stateless.portal.distribution);

      // Assess
      expect(invalidations).toHaveLength(1);
      expect([invalidations[0]!.statement.Action].flat().sort()).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
      expect(invalidations[0]!.statement.Resource).not.toBe('*');
      expect(refersTo(invalidations[0]!.statement.Resource, distributionId)).toBe(true);
    });

    it('has no Resource "*" in any stack except for X-Ray and CloudWatch metrics', () => {
      // Act
      const star = [synthesized.statefulTemplate, stateless, synthesized.edgeTemplate]
        .flatMap(statementsOf)
        .filter(({ statement }) => [statement.Resource].flat().includes('*'))
        .filter(({ statement }) => ![statement.Action].flat().every((a) => ONLY_ON_STAR.test(a)));

      // Assess
      expect(star).toEqual([]);
    });
  });

  describe('Portal sign-in (Cognito hosted UI)', () => {
    it('lets customers sign in with their phone number and an SMS code on the managed login pages', () => {
      // Act
      const stateful = synthesized.statefulTemplate;
      const [[, pool] = ['', { Properties: {} }]] = resourcesOfType(stateful, 'AWS::Cognito::UserPool');
      const [[, domain] = ['', { Properties: {} }]] = resourcesOfType(stateful, 'AWS::Cognito::UserPoolDomain');

      // Assess
      expect(pool.Properties.UsernameAttributes).toContain('phone_number');
      expect(pool.Properties.Policies.SignInPolicy.AllowedFirstAuthFactors).toEqual(expect.arrayContaining(['PASSWORD', 'SMS_OTP']));
      expect(pool.Properties.UserPoolTier).toBe('ESSENTIALS');
      expect(pool.Properties.SmsConfiguration.SnsCallerArn).toBeDefined();
      expect(domain.Properties.ManagedLoginVersion).toBe(2);
    });

    it('gives the portal a public client for the authorization code flow, called back on the distribution', () => {
      // Act
      const client = stateless.toJSON().Resources[logicalIdOf(synthesized.stateless.portalSignIn!.client)];
      const distributionId = logicalIdOf(synthesized.stateless.portal.distribution);

      // Assess
      expect(client.Properties).toMatchObject({
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        EnableTokenRevocation: true,
        SupportedIdentityProviders: ['COGNITO'],
      });
      expect(client.Properties.GenerateSecret ?? false).toBe(false);
      expect(client.Properties.AllowedOAuthScopes.sort()).toEqual(['openid', 'phone']);
      expect(client.Properties.ExplicitAuthFlows.sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH']);
      expect(refersTo(client.Properties.CallbackURLs, distributionId)).toBe(true);
      expect(JSON.stringify(client.Properties.CallbackURLs)).toContain(SIGN_IN_CALLBACK_PATH);
      stateless.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UseCognitoProvidedValues: true });
    });

    it("publishes auth-config.json with the portal and accepts the portal client's tokens at the API", () => {
      // Act
      const [[, authorizer] = ['', { Properties: {} }]] = resourcesOfType(stateless, 'AWS::ApiGatewayV2::Authorizer');
      const [[, deployment] = ['', { Properties: {} }]] = resourcesOfType(stateless, 'Custom::CDKBucketDeployment');

      // Assess
      expect(refersTo(authorizer.Properties.JwtConfiguration.Audience, logicalIdOf(synthesized.stateless.portalSignIn!.client))).toBe(true);
      expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
      expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain(logicalIdOf(synthesized.stateless.portalSignIn!.client));
    });
  });
});
