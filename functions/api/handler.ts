import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../../shared/config/config.ts';
import type { OpsMetricsStore } from '../../shared/ports/ops-metrics.port.ts';
import type { ReconciliationStore } from '../../shared/ports/reconciliation-store.port.ts';
import * as adapters from '../_wrappers/adapters.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { apiRequestId, lambdaRuntime, notComposed } from '../_wrappers/lambda-runtime.ts';
import { lambdaAuthenticator } from './auth.ts';
import { createApp } from './frame.ts';
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
const deps = {
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
  reconciliation: notComposed<ReconciliationStore>('reconciliation', SERVICE),
  opsMetrics: notComposed<OpsMetricsStore>('opsMetrics', SERVICE),
};
export const handler = runtime.observe(
  middy(
    handle(
      createApp(
        deps,
        lambdaAuthenticator(config),
        {
          ...(config.originVerifySecret ? { originSecret: config.originVerifySecret } : {}),
          document: async () => (await import('./openapi-document.ts')).default,
        },
        [CUSTOMER_API],
      ),
    ),
  ),
  apiRequestId,
);
