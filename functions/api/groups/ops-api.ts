/** The operations console's API, `/v1/ops/*` (the opsApi function; admin only). */
import type { Routes } from '../frame.ts';
import { deadLetterRoutes } from '../routes/ops-dead-letters.ts';
import { opsListRoutes } from '../routes/ops-lists.ts';
import { opsMetricsRoutes } from '../routes/ops-metrics.ts';
import { reconciliationRoutes } from '../routes/ops-reconciliation.ts';

export const OPS_API: readonly Routes[] = [reconciliationRoutes, opsMetricsRoutes, deadLetterRoutes, opsListRoutes];
