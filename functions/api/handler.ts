import { loadConfig } from '../../shared/config/config.ts';
import * as adapters from '../_wrappers/adapters.ts';
import { apiDeps, apiFunction } from '../_wrappers/api-function.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { lambdaAuthenticator } from './auth.ts';
import { CUSTOMER_API } from './groups/customer-api.ts';

const SERVICE = 'api';
const config = loadConfig();
const runtime = lambdaRuntime(config, SERVICE);

/**
 * API Gateway HTTP API (payload v2): the customers' and the merchant backend's routes
 * (./groups/customer-api.ts); the operations console's and the providers' webhooks are their own
 * functions (functions/ops-api, functions/webhooks). Its JWT authorizer has verified the token
 * already; with JWT_ISSUER set the function verifies it again against the issuer's keys. The
 * payment gateway (and, on AWS, the provider keys from Secrets Manager) is composed at cold
 * start. The OpenAPI document is the one the bundle carries, loaded at the first
 * `/openapi.json` or `/docs`.
 */
const deps = apiDeps(SERVICE, {
  ...runtime.ports,
  plans: adapters.plans(config),
  customers: adapters.customers(config),
  notices: adapters.notices(config),
  idempotency: adapters.idempotency(config),
  supportCases: adapters.supportCases(config),
  agendaQueue: adapters.agendaQueue(config),
  events: adapters.events(config),
  sender: adapters.sender(config),
  gateway: await paymentGateway(config, runtime.ports.clock),
});
export const handler = apiFunction(runtime, config, {
  deps,
  authenticate: lambdaAuthenticator(config),
  groups: [CUSTOMER_API],
  options: { document: async () => (await import('./openapi-document.ts')).default },
});
