import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../../shared/config/config.ts';
import { buildDeps } from '../_wrappers/dependencies.ts';
import { createApi } from './app.ts';
import { gatewayClaimsAuthenticator } from './auth.ts';

/** API Gateway HTTP API (payload v2): its JWT authorizer has verified the token already. */
export const handler = handle(createApi(buildDeps(loadConfig(), 'api'), gatewayClaimsAuthenticator));
