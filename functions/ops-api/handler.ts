import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../../shared/config/config.ts';
import type { AgendaQueue, EventPublisher, NoticeSender } from '../../shared/ports/messaging.port.ts';
import type { PaymentGateway } from '../../shared/ports/payment-gateway.port.ts';
import * as adapters from '../_wrappers/adapters.ts';
import { apiRequestId, lambdaRuntime, notComposed } from '../_wrappers/lambda-runtime.ts';
import { lambdaAuthenticator } from '../api/auth.ts';
import { createApp } from '../api/frame.ts';
import { OPS_API } from '../api/groups/ops-api.ts';

const config = loadConfig();
const runtime = lambdaRuntime(config, 'opsApi');

/**
 * API Gateway HTTP API (payload v2): the operations console's routes, `/v1/ops/*`
 * (../api/groups/ops-api.ts), each of which needs the admin scope at the gateway and the admin
 * role here. It reads the table and the dead-letter queues and redrives those; it never calls
 * a payment provider, sends a notice or publishes an event.
 */
const deps = {
  ...runtime.ports,
  plans: adapters.plans(config),
  customers: adapters.customers(config),
  notices: adapters.notices(config),
  idempotency: adapters.idempotency(config),
  supportCases: adapters.supportCases(config),
  reconciliation: adapters.reconciliation(config),
  opsMetrics: adapters.opsMetrics(config),
  ...adapters.deadLetters(config),
  gateway: notComposed<PaymentGateway>('gateway', 'opsApi'),
  agendaQueue: notComposed<AgendaQueue>('agendaQueue', 'opsApi'),
  events: notComposed<EventPublisher>('events', 'opsApi'),
  sender: notComposed<NoticeSender>('sender', 'opsApi'),
};
export const handler = runtime.observe(
  middy(handle(createApp(deps, lambdaAuthenticator(config), config.originVerifySecret ? { originSecret: config.originVerifySecret } : {}, [OPS_API]))),
  apiRequestId,
);
