/**
 * The HTTP API in front of the API's three functions: `api` (customers, payment methods,
 * plans, support; the public health and reference routes), `opsApi` (`/v1/ops/*`) and
 * `webhooks` (`/v1/webhooks/{provider}`). Each route names its function; every other `/v1` path
 * goes to `api`.
 *
 * Every `/v1` route needs a valid JWT (issuer and audience of the configured identity
 * provider); the admin-only routes also need the admin scope. Four routes are public on
 * purpose: health, the OpenAPI document and its viewer, and the payment provider's webhook,
 * which the function authenticates by its HMAC signature (a gateway has no JWT to send).
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/** The functions behind the API, by the route group each serves (functions/api/app.ts `ROUTE_GROUPS`). */
export type ApiHandlers = Readonly<Record<'api' | 'opsApi' | 'webhooks', lambda.IFunction>>;

export interface HttpApiProps {
  readonly handlers: ApiHandlers;
  readonly jwtIssuer: string;
  readonly jwtAudience: readonly string[];
  readonly adminScope: string;
  /** Each customer or admin route (`/v1/*`): steady requests per second and burst. */
  readonly rateLimit: number;
  readonly burstLimit: number;
  /** The webhook route, throttled on its own so a flood of it never throttles payments. */
  readonly webhookThrottle: { rateLimit: number; burstLimit: number };
  /** `/health`, `/openapi.json` and `/docs`, each throttled on its own. */
  readonly publicThrottle: { rateLimit: number; burstLimit: number };
  /** A custom domain, CloudFront's origin; with it the default execute-api endpoint is disabled. */
  readonly customDomain?: { domainName: string; certificateArn: string };
  readonly logRetentionDays: number;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** Routes reserved to the merchant backend (token with the admin scope), and the function that serves each. */
export const ADMIN_ROUTES: ReadonlyArray<{ method: apigw.HttpMethod; path: string; handler: keyof ApiHandlers }> = [
  { method: apigw.HttpMethod.POST, path: '/v1/customers', handler: 'api' },
  { method: apigw.HttpMethod.POST, path: '/v1/plans', handler: 'api' },
  { method: apigw.HttpMethod.POST, path: '/v1/plans/{planId}/cancel', handler: 'api' },
  { method: apigw.HttpMethod.GET, path: '/v1/ops/reconciliation', handler: 'opsApi' },
  { method: apigw.HttpMethod.POST, path: '/v1/support/cases/{caseId}/approve', handler: 'api' },
  { method: apigw.HttpMethod.POST, path: '/v1/support/cases/{caseId}/decline', handler: 'api' },
  { method: apigw.HttpMethod.GET, path: '/v1/ops/agenda', handler: 'opsApi' },
  { method: apigw.HttpMethod.GET, path: '/v1/ops/metrics/daily', handler: 'opsApi' },
  { method: apigw.HttpMethod.GET, path: '/v1/ops/dead-letters', handler: 'opsApi' },
  { method: apigw.HttpMethod.GET, path: '/v1/ops/failed-attempts', handler: 'opsApi' },
  { method: apigw.HttpMethod.GET, path: '/v1/ops/notices', handler: 'opsApi' },
  { method: apigw.HttpMethod.GET, path: '/v1/ops/dead-letters/{queue}/messages', handler: 'opsApi' },
  { method: apigw.HttpMethod.POST, path: '/v1/ops/dead-letters/{queue}/redrive', handler: 'opsApi' },
];

/**
 * Every other `/v1/ops` request (another method on an operations path: 405 from the function
 * that knows the path) goes to `opsApi`, with the admin scope too.
 */
export const OPS_PROXY_PATH = '/v1/ops/{proxy+}';

export const PUBLIC_ROUTES: ReadonlyArray<{ method: apigw.HttpMethod; path: string; why: string; handler: keyof ApiHandlers }> = [
  { method: apigw.HttpMethod.GET, path: '/health', why: 'Health check for load balancers and uptime probes; returns {"status":"ok"} and nothing else.', handler: 'api' },
  { method: apigw.HttpMethod.GET, path: '/openapi.json', why: 'The public OpenAPI document of the API; contains no data.', handler: 'api' },
  { method: apigw.HttpMethod.GET, path: '/docs', why: 'The API reference page rendered from the OpenAPI document; contains no data.', handler: 'api' },
  {
    handler: 'webhooks',
    method: apigw.HttpMethod.POST,
    path: '/v1/webhooks/{provider}',
    why: "Payment provider callbacks carry no JWT; the function verifies each request's signature with that provider's scheme and secret (Stripe-Signature for stripe, X-Repayflow-Signature for simulated) and rejects unsigned ones.",
  },
];

export const WEBHOOK_ROUTE_KEY = 'POST /v1/webhooks/{provider}';

export class RepayflowHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogGroup: logs.LogGroup;
  readonly domainName: apigw.DomainName | undefined;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'repayflow: installment plans, repayments and webhooks',
      // The stage below is created explicitly to set throttling and access logs on it.
      createDefaultStage: false,
      // With a custom domain it is CloudFront's origin and the execute-api endpoint is closed;
      // without one the endpoint is the origin. Either way the api function refuses what did not
      // come through CloudFront (functions/api/origin-guard.ts), so the WAF cannot be bypassed.
      disableExecuteApiEndpoint: props.customDomain !== undefined,
    });
    this.domainName = props.customDomain
      ? new apigw.DomainName(this, 'DomainName', {
          domainName: props.customDomain.domainName,
          certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
          securityPolicy: apigw.SecurityPolicy.TLS_1_2,
        })
      : undefined;

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      ...(this.domainName ? { domainMapping: { domainName: this.domainName } } : {}),
      // The default applies to each route on its own; the webhook and public routes get theirs below.
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        // JSON, one line per request; no headers, so no token or PII reaches the log.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            principal: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });
    acknowledge(this.stage, {
      'Serverless-APIGWXrayEnabled': 'HTTP APIs do not support X-Ray tracing; the api function itself is traced (active tracing).',
    });

    const integrationOf = (id: string, handler: lambda.IFunction) =>
      new HttpLambdaIntegration(id, handler, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        // One invoke permission per function for all its routes instead of one per route.
        scopePermissionToRoute: false,
        timeout: Duration.seconds(29),
      });
    const integrations: Record<keyof ApiHandlers, HttpLambdaIntegration> = {
      api: integrationOf('ApiFunction', props.handlers.api),
      opsApi: integrationOf('OpsApiFunction', props.handlers.opsApi),
      webhooks: integrationOf('WebhooksFunction', props.handlers.webhooks),
    };
    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [...props.jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });

    this.api.addRoutes({ path: '/v1/{proxy+}', methods: [apigw.HttpMethod.ANY], integration: integrations.api, authorizer });
    this.api.addRoutes({ path: OPS_PROXY_PATH, methods: [apigw.HttpMethod.ANY], integration: integrations.opsApi, authorizer, authorizationScopes: [props.adminScope] });
    for (const route of ADMIN_ROUTES) {
      this.api.addRoutes({ path: route.path, methods: [route.method], integration: integrations[route.handler], authorizer, authorizationScopes: [props.adminScope] });
    }
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of PUBLIC_ROUTES) {
      const [created] = this.api.addRoutes({ path: route.path, methods: [route.method], integration: integrations[route.handler], authorizer: new apigw.HttpNoneAuthorizer() });
      if (created) {
        acknowledge(created, { 'AwsSolutions-APIG4': route.why });
        // Route settings name existing routes only: the stage waits for them.
        this.stage.node.addDependency(created);
      }
      const key = `${route.method} ${route.path}`;
      const limits = key === WEBHOOK_ROUTE_KEY ? props.webhookThrottle : props.publicThrottle;
      routeSettings[key] = { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit };
    }
    (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;
  }

  /** The origin CloudFront forwards API paths to: the custom domain, else the execute-api endpoint. */
  get url(): string {
    return this.domainName ? `https://${this.domainName.name}` : this.api.apiEndpoint;
  }
}
