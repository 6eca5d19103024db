/**
 * The v1 HTTP API as one router: every route group under one frame (./frame.ts). The local
 * server runs it, and its routes make the OpenAPI document. On AWS each group is its own Lambda
 * function (functions/api, functions/ops-api, functions/webhooks) behind one HTTP API, whose
 * routes send each path to its function. Each route is wiring: guard → parse (zod) → use case
 * → response.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '../../shared/application/deps.ts';
import type { Authenticator } from './auth.ts';
import { type ApiOptions, createApp } from './frame.ts';
import { CUSTOMER_API } from './groups/customer-api.ts';
import { OPS_API } from './groups/ops-api.ts';
import { WEBHOOK_API } from './groups/webhook-api.ts';

export { type ApiOptions, MAX_BODY_BYTES } from './frame.ts';

/** Every route group, in the order the OpenAPI document lists them. */
export const ROUTE_GROUPS = { api: CUSTOMER_API, opsApi: OPS_API, webhooks: WEBHOOK_API } as const;

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
  // Generated at the first request, when every route is registered.
  const generated = async () => app.getOpenAPI31Document(OPENAPI_CONFIG);
  const app = createApp(deps, authenticate, { ...options, document: options.document ?? generated }, Object.values(ROUTE_GROUPS));
  return app;
}

/** The OpenAPI document of the API: route definitions only, no request is served. */
export function openApiDocument(deps: Deps) {
  return createApi(deps, async () => undefined).getOpenAPI31Document(OPENAPI_CONFIG);
}
