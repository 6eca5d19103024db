import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { bindingHintHandler } from '../../shared/application/bind-payment-method.ts';
import { walletResultHandler } from '../../shared/application/settle-wallet-payment.ts';
import { loadConfig } from '../../shared/config/config.ts';
import * as adapters from '../_wrappers/adapters.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { apiRequestId, lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { createApi } from './app.ts';
import { lambdaAuthenticator } from './auth.ts';
import { webhookOptions } from './webhooks.ts';

const config = loadConfig();
const runtime = lambdaRuntime(config, 'api');

/**
 * API Gateway HTTP API (payload v2). Its JWT authorizer has verified the token already; with
 * JWT_ISSUER set the function verifies it again against the issuer's keys. The payment
 * gateway (and, on AWS, the provider keys from Secrets Manager) is composed at cold start. The
 * OpenAPI document is the one the bundle carries, loaded at the first `/openapi.json` or `/docs`.
 */
const deps = {
  ...runtime.ports,
  plans: adapters.plans(config),
  customers: adapters.customers(config),
  notices: adapters.notices(config),
  idempotency: adapters.idempotency(config),
  reconciliation: adapters.reconciliation(config),
  supportCases: adapters.supportCases(config),
  opsMetrics: adapters.opsMetrics(config),
  ...adapters.deadLetters(config),
  agendaQueue: adapters.agendaQueue(config),
  events: adapters.events(config),
  sender: adapters.sender(config),
  gateway: await paymentGateway(config, runtime.ports.clock),
};
const webhooks = webhookOptions(config, { events: adapters.webhookEvents(config), results: walletResultHandler(deps), bindings: bindingHintHandler(deps) });
export const handler = runtime.observe(
  middy(
    handle(
      createApi(deps, lambdaAuthenticator(config), {
        webhooks,
        ...(config.originVerifySecret ? { originSecret: config.originVerifySecret } : {}),
        document: async () => (await import('./openapi-document.ts')).default,
      }),
    ),
  ),
  apiRequestId,
);
