import { handle } from 'hono/aws-lambda';
import { bindingHintHandler } from '../../shared/application/bind-payment-method.ts';
import { walletResultHandler } from '../../shared/application/settle-wallet-payment.ts';
import { loadConfig } from '../../shared/config/config.ts';
import { functionDeps } from '../_wrappers/function-deps.ts';
import { createApi } from './app.ts';
import { lambdaAuthenticator } from './auth.ts';
import { webhookOptions } from './webhooks.ts';

const config = loadConfig();

/**
 * API Gateway HTTP API (payload v2). Its JWT authorizer has verified the token already; with
 * JWT_ISSUER set the function verifies it again against the issuer's keys. The payment
 * gateway (and, on AWS, the provider keys from Secrets Manager) is composed at cold start.
 */
const deps = await functionDeps(config, 'api');
export const handler = handle(createApi(deps, lambdaAuthenticator(config), { webhooks: webhookOptions(config, { results: walletResultHandler(deps), bindings: bindingHintHandler(deps) }) }));
