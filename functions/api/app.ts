/**
 * The v1 HTTP API: one router that runs unchanged in Lambda (API Gateway HTTP API events) and
 * in the local server. Each route is wiring: guard → parse (zod) → use case → response.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../../shared/application/deps.ts';
import { authorize } from './access.ts';
import type { Authenticator } from './auth.ts';
import { docsRoutes } from './docs-route.ts';
import { createIdempotency } from './idempotency.ts';
import { type ApiEnv, typedIdempotency } from './openapi-helpers.ts';
import { originGuard } from './origin-guard.ts';
import { errorToProblem, problem, tooLargeProblem, unauthenticatedProblem } from './problem.ts';
import { customerRoutes } from './routes/customers.ts';
import { deadLetterRoutes } from './routes/ops-dead-letters.ts';
import { opsListRoutes } from './routes/ops-lists.ts';
import { opsMetricsRoutes } from './routes/ops-metrics.ts';
import { reconciliationRoutes } from './routes/ops-reconciliation.ts';
import { paymentSetupRoutes } from './routes/payment-methods.ts';
import { planActionRoutes } from './routes/plan-actions.ts';
import { planRoutes } from './routes/plans.ts';
import { serviceRoutes } from './routes/service.ts';
import { supportRoutes } from './routes/support.ts';
import { unmatchedRoutes } from './routing.ts';
import { WEBHOOK_PATH, type WebhookOptions, webhookRoutes, webhooksNotConfigured } from './webhooks.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiOptions {
  /** Webhook secret, event log and result handler; without them the webhook route answers 503. */
  webhooks?: WebhookOptions;
  /** The secret CloudFront adds to what it forwards (functions/api/origin-guard.ts); unset, not checked. */
  originSecret?: string;
}

/** What `/openapi.json` says about the API as a whole; the routes add their own parts. */
export const OPENAPI_CONFIG: Parameters<OpenAPIHono['getOpenAPI31Document']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'repayflow API',
    version: '1.0.0',
    description:
      "Installment repayment engine: plans, repayments, deferrals, payment methods, notices. Money is `{amount, currency}` in integer minor units; dates are `YYYY-MM-DD` in the customer's time zone; instants are ISO 8601 UTC. Errors are RFC 9457 `application/problem+json` with a stable `code`.",
    license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
  },
  servers: [
    { url: 'http://localhost:3000', description: 'The local stack (`npm start`)' },
    {
      url: '{apiUrl}',
      description: 'A deployment: the API Gateway URL its stack outputs',
      variables: { apiUrl: { default: 'https://api.example.com', description: 'The `ApiUrl` output of the stateless stack' } },
    },
  ],
  tags: [
    { name: 'service', description: 'Liveness and the API reference' },
    { name: 'customers', description: 'Customer profiles and their notices' },
    { name: 'payment methods', description: 'Binding, listing and removing payment methods' },
    { name: 'plans', description: 'Installment plans and what a customer does with them' },
    { name: 'support', description: 'Support cases and extension requests' },
    { name: 'ops', description: 'Operations (admin)' },
    { name: 'webhooks', description: 'Signed hints from payment providers' },
  ],
};

export function createApi(deps: Deps, authenticate: Authenticator, options: ApiOptions = {}) {
  const app = new OpenAPIHono<ApiEnv>();

  app.onError((err, c) => {
    const response = errorToProblem(err, c);
    if (response.status >= 500) deps.logger.error('request failed', { method: c.req.method, path: c.req.path, error: err });
    return response;
  });
  app.notFound((c) => problem(c, 404, { code: 'REQUEST.NO_ROUTE', detail: `no route for ${c.req.method} ${c.req.path}` }));

  // Customers, plans and their problems hold PII (names, phones): no browser or proxy keeps them.
  // Set before the handler, so the response is built with it; changing a built response copies its body into a stream.
  app.use('/v1/*', async function noStore(c, next) {
    c.header('cache-control', 'no-store');
    await next();
    if (c.res.headers.get('cache-control') !== 'no-store') c.header('cache-control', 'no-store');
  });
  app.use('*', originGuard(options.originSecret));
  app.use('*', unmatchedRoutes(app));
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => tooLargeProblem(c, MAX_BODY_BYTES) });
  // No route reads the body of a GET or HEAD; looking for one would build a full web Request on every read.
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));

  app.use('/v1/*', async (c, next) => {
    // Webhooks carry no token: their route verifies the provider's signature instead.
    if (WEBHOOK_PATH.test(c.req.path)) return next();
    const principal = await authenticate({
      authorization: c.req.header('authorization'),
      lambdaClaims: c.env?.event?.requestContext?.authorizer?.jwt?.claims,
    });
    if (!principal) return unauthenticatedProblem(c, c.req.header('authorization') !== undefined);
    c.set('principal', principal);
    await next();
  });
  app.use('/v1/*', authorize(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: '`sub` is the customer id; the `admin` role (or the `repayflow/admin` scope) may do everything',
  });

  const idempotent = typedIdempotency(createIdempotency(deps));

  app.route('/', serviceRoutes());
  app.route('/', customerRoutes(deps, idempotent));
  app.route('/', paymentSetupRoutes(deps, idempotent));
  app.route('/', planRoutes(deps, idempotent));
  app.route('/', planActionRoutes(deps, idempotent));
  app.route('/', reconciliationRoutes(deps));
  app.route('/', supportRoutes(deps, idempotent));
  app.route('/', opsMetricsRoutes(deps));
  app.route('/', deadLetterRoutes(deps));
  app.route('/', opsListRoutes(deps));
  app.route('/', webhookRoutes(deps, options.webhooks ?? webhooksNotConfigured));

  app.doc31('/openapi.json', OPENAPI_CONFIG);
  app.route(
    '/',
    docsRoutes(() => app.getOpenAPI31Document(OPENAPI_CONFIG)),
  );

  return app;
}

/** The OpenAPI document of the API: route definitions only, no request is served. */
export function openApiDocument(deps: Deps) {
  return createApi(deps, async () => undefined).getOpenAPI31Document(OPENAPI_CONFIG);
}
