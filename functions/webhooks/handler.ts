import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { bindingHintHandler } from '../../shared/application/bind-payment-method.ts';
import { walletResultHandler } from '../../shared/application/settle-wallet-payment.ts';
import { loadConfig } from '../../shared/config/config.ts';
import type { IdempotencyStore } from '../../shared/ports/idempotency.port.ts';
import type { AgendaQueue, NoticeSender } from '../../shared/ports/messaging.port.ts';
import type { NoticeRepository } from '../../shared/ports/notice-repository.port.ts';
import type { OpsMetricsStore } from '../../shared/ports/ops-metrics.port.ts';
import type { ReconciliationStore } from '../../shared/ports/reconciliation-store.port.ts';
import type { SupportCaseRepository } from '../../shared/ports/support-case-repository.port.ts';
import * as adapters from '../_wrappers/adapters.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { apiRequestId, lambdaRuntime, notComposed } from '../_wrappers/lambda-runtime.ts';
import { createApp } from '../api/frame.ts';
import { WEBHOOK_API } from '../api/groups/webhook-api.ts';
import { webhookOptions } from '../api/webhooks.ts';

const SERVICE = 'webhooks';
const config = loadConfig();
const runtime = lambdaRuntime(config, SERVICE);

/**
 * API Gateway HTTP API (payload v2): the payment providers' webhooks, `/v1/webhooks/{provider}`
 * (../api/groups/webhook-api.ts). A webhook carries no token: each is verified by its
 * provider's signature scheme, so no caller is authenticated here and any other `/v1` path
 * answers 401. A wallet payment's result settles the repayment it reports (with the provider's
 * word, through the gateway) and publishes its event.
 */
const deps = {
  ...runtime.ports,
  plans: adapters.plans(config),
  customers: adapters.customers(config),
  events: adapters.events(config),
  gateway: await paymentGateway(config, runtime.ports.clock),
  notices: notComposed<NoticeRepository>('notices', SERVICE),
  idempotency: notComposed<IdempotencyStore>('idempotency', SERVICE),
  supportCases: notComposed<SupportCaseRepository>('supportCases', SERVICE),
  agendaQueue: notComposed<AgendaQueue>('agendaQueue', SERVICE),
  sender: notComposed<NoticeSender>('sender', SERVICE),
  reconciliation: notComposed<ReconciliationStore>('reconciliation', SERVICE),
  opsMetrics: notComposed<OpsMetricsStore>('opsMetrics', SERVICE),
};
const webhooks = webhookOptions(config, { events: adapters.webhookEvents(config), results: walletResultHandler(deps), bindings: bindingHintHandler(deps) });
export const handler = runtime.observe(
  middy(handle(createApp(deps, async () => undefined, { webhooks, ...(config.originVerifySecret ? { originSecret: config.originVerifySecret } : {}) }, [WEBHOOK_API]))),
  apiRequestId,
);
