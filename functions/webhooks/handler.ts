import { bindingHintHandler } from '../../shared/application/bind-payment-method.ts';
import { walletResultHandler } from '../../shared/application/settle-wallet-payment.ts';
import { loadConfig } from '../../shared/config/config.ts';
import * as adapters from '../_wrappers/adapters.ts';
import { apiDeps, apiFunction } from '../_wrappers/api-function.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
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
const deps = apiDeps(SERVICE, {
  ...runtime.ports,
  plans: adapters.plans(config),
  customers: adapters.customers(config),
  events: adapters.events(config),
  gateway: await paymentGateway(config, runtime.ports.clock),
});
const webhooks = webhookOptions(config, { events: adapters.webhookEvents(config), results: walletResultHandler(deps), bindings: bindingHintHandler(deps) });
export const handler = apiFunction(runtime, config, { deps, authenticate: async () => undefined, groups: [WEBHOOK_API], options: { webhooks } });
