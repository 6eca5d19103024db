import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../../shared/config/config.ts';
import type { CustomerRepository } from '../../shared/ports/customer-repository.port.ts';
import type { IdempotencyStore } from '../../shared/ports/idempotency.port.ts';
import type { AgendaQueue, EventPublisher, NoticeSender } from '../../shared/ports/messaging.port.ts';
import type { SupportCaseRepository } from '../../shared/ports/support-case-repository.port.ts';
import * as adapters from '../_wrappers/adapters.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { apiRequestId, lambdaRuntime, notComposed } from '../_wrappers/lambda-runtime.ts';
import { lambdaAuthenticator } from '../api/auth.ts';
import { createApp } from '../api/frame.ts';
import { OPS_API } from '../api/groups/ops-api.ts';

const SERVICE = 'ops-api';
const config = loadConfig();
const runtime = lambdaRuntime(config, SERVICE);

/**
 * API Gateway HTTP API (payload v2): the operations console's routes, `/v1/ops/*`
 * (../api/groups/ops-api.ts), each of which needs the admin scope at the gateway and the admin
 * role here. It reads the table and the dead-letter queues and redrives those; a day not yet
 * reconciled is reconciled on request (the providers' listings, through the gateway, and its
 * report put in the table). It never writes a plan, sends a notice or publishes an event.
 */
const deps = {
  ...runtime.ports,
  plans: adapters.plans(config),
  notices: adapters.notices(config),
  reconciliation: adapters.reconciliation(config),
  opsMetrics: adapters.opsMetrics(config),
  ...adapters.deadLetters(config),
  gateway: await paymentGateway(config, runtime.ports.clock),
  customers: notComposed<CustomerRepository>('customers', SERVICE),
  supportCases: notComposed<SupportCaseRepository>('supportCases', SERVICE),
  idempotency: notComposed<IdempotencyStore>('idempotency', SERVICE),
  agendaQueue: notComposed<AgendaQueue>('agendaQueue', SERVICE),
  events: notComposed<EventPublisher>('events', SERVICE),
  sender: notComposed<NoticeSender>('sender', SERVICE),
};
export const handler = runtime.observe(
  middy(handle(createApp(deps, lambdaAuthenticator(config), config.originVerifySecret ? { originSecret: config.originVerifySecret } : {}, [OPS_API]))),
  apiRequestId,
);
