/**
 * What every HTTP function serves its routes under: problem details for errors and unmatched
 * requests, the origin guard, the body limit, authentication and access rules on `/v1`, and
 * idempotency. Given its route groups, it is one Lambda function's router (functions/api,
 * functions/ops-api, functions/webhooks), or, given all of them, the whole API (./app.ts: the
 * local server and the OpenAPI document). Route modules are imported only by the groups that
 * hold them, so a function's bundle carries its own routes only.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../../shared/application/deps.ts';
import { authorize } from './access.ts';
import type { Authenticator } from './auth.ts';
import { docsRoutes } from './docs-route.ts';
import { createIdempotency } from './idempotency.ts';
import { type ApiEnv, type ApiRouter, type IdempotentRoute, typedIdempotency } from './openapi-helpers.ts';
import { originGuard } from './origin-guard.ts';
import { errorToProblem, problem, tooLargeProblem, unauthenticatedProblem } from './problem.ts';
import { unmatchedRoutes, WEBHOOK_PATH } from './routing.ts';
import type { WebhookOptions } from './webhooks.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiOptions {
  /** Webhook secret, event log and result handler; without them the webhook route answers 503. */
  webhooks?: WebhookOptions;
  /** The secret CloudFront adds to what it forwards (functions/api/origin-guard.ts); unset, not checked. */
  originSecret?: string;
  /**
   * The OpenAPI document `/openapi.json` and `/docs` serve; without it neither route exists.
   * The whole API generates it from its routes; the api function loads the one its bundle
   * carries (./openapi-document.ts).
   */
  document?: () => Promise<object>;
}

/** A route module, mounted at `/`. */
export type Routes = (deps: Deps, idempotent: IdempotentRoute, options: ApiOptions) => ApiRouter;

export function createApp(deps: Deps, authenticate: Authenticator, options: ApiOptions, groups: ReadonlyArray<readonly Routes[]>) {
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
  for (const routes of groups.flat()) app.route('/', routes(deps, idempotent, options));

  const document = options.document;
  if (document) {
    app.get('/openapi.json', async (c) => c.json(await document()));
    app.route('/', docsRoutes(document));
  }
  return app;
}
