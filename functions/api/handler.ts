import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../../shared/config/config.ts';
import { buildDeps } from '../_wrappers/dependencies.ts';
import { createApi } from './app.ts';
import { lambdaAuthenticator } from './auth.ts';
import { webhookOptions } from './webhooks.ts';

const config = loadConfig();

/**
 * API Gateway HTTP API (payload v2). Its JWT authorizer has verified the token already; with
 * JWT_ISSUER set the function verifies it again against the issuer's keys.
 */
export const handler = handle(createApi(buildDeps(config, 'api'), lambdaAuthenticator(config), { webhooks: webhookOptions(config) }));
