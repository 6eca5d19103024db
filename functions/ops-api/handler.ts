import { loadConfig } from '../../shared/config/config.ts';
import * as adapters from '../_wrappers/adapters.ts';
import { apiDeps, apiFunction } from '../_wrappers/api-function.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { lambdaAuthenticator } from '../api/auth.ts';
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
const deps = apiDeps(SERVICE, {
  ...runtime.ports,
  plans: adapters.plans(config),
  notices: adapters.notices(config),
  reconciliation: adapters.reconciliation(config),
  opsMetrics: adapters.opsMetrics(config),
  ...adapters.deadLetters(config),
  gateway: await paymentGateway(config, runtime.ports.clock),
});
export const handler = apiFunction(runtime, config, { deps, authenticate: lambdaAuthenticator(config), groups: [OPS_API] });
