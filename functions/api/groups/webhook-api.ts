/** The payment providers' webhooks, `/v1/webhooks/{provider}` (the webhooks function; signed, no token). */
import type { Routes } from '../frame.ts';
import { webhookRoutes, webhooksNotConfigured } from '../webhooks.ts';

export const WEBHOOK_API: readonly Routes[] = [(deps, _idempotent, options) => webhookRoutes(deps, options.webhooks ?? webhooksNotConfigured)];
