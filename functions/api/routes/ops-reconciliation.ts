/**
 * `GET /v1/ops/reconciliation?date=` (admin): the stored reconciliation report of a local day
 * in the policy's `reconciliationTimeZone`. A finished day without a stored report (before the
 * schedule ran, a missed run) is reconciled on the spot and stored; today or a later day answers
 * 409 `RECONCILIATION.DAY_NOT_OVER`. Without `date`: the previous local day.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { reconciliationReport } from '../../../shared/application/reconcile-day.ts';
import type { Deps } from '../../../shared/application/deps.ts';
import { isLocalDate } from '../../../shared/domain/calendar.ts';
import { previousLocalDay } from '../../../shared/domain/reconciliation.ts';
import type { Principal } from '../auth.ts';
import { fail, json, problemResponse, problems, refused, security } from '../openapi-helpers.ts';

type Env = { Variables: { principal: Principal } };

export const RECONCILIATION_PATH = '/v1/ops/reconciliation';

const localDate = z.string().refine(isLocalDate, 'must be a calendar date YYYY-MM-DD').openapi({ example: '2026-02-28' });
const Amount = z.object({ amount: z.number().int(), currency: z.string() });

export const ReconciliationQuerySchema = z.object({
  date: localDate.optional().openapi({ description: 'A local date in the reconciliation time zone; default: yesterday there' }),
});

export const DifferenceSchema = z
  .object({
    kind: z.enum(['missing_record', 'missing_capture', 'amount_mismatch', 'currency_mismatch']).openapi({
      description:
        '`missing_record`: the provider captured, we hold no succeeded record; `missing_capture`: we recorded a success the provider does not list; `amount_mismatch` / `currency_mismatch`: both exist and differ',
    }),
    provider: z.string(),
    idempotencyKey: z.string().openapi({ description: 'The attempt id given to the provider' }),
    planId: z.string().optional(),
    capture: Amount.extend({ gatewayReference: z.string(), capturedAt: z.string() }).optional(),
    record: Amount.extend({ recordedAt: z.string(), gatewayReference: z.string().optional() }).optional(),
    recordStatus: z.enum(['pending', 'succeeded', 'failed']).optional().openapi({ description: '`missing_record`: the record held under that key, if any' }),
  })
  .openapi('ReconciliationDifference');

export const ReconciliationSchema = z
  .object({
    date: z.string(),
    timeZone: z.string(),
    ranAt: z.string(),
    providers: z.array(z.string()),
    captures: z.number().int().openapi({ description: 'Captures the providers list within the day' }),
    records: z.number().int().openapi({ description: 'Succeeded records within the day' }),
    differenceCount: z.number().int(),
    differences: z.array(DifferenceSchema).openapi({ description: 'At most the first 500; differenceCount tells them all' }),
  })
  .openapi('Reconciliation');

export function registerReconciliationRoutes(app: OpenAPIHono<any>, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: RECONCILIATION_PATH,
      summary: "A day's reconciliation: provider captures against repayment records, both ways (admin)",
      security,
      request: { query: ReconciliationQuerySchema },
      responses: {
        200: json(ReconciliationSchema, 'The report of that day (reconciled now if it had not been yet)'),
        403: problemResponse('Needs the admin role'),
        409: problemResponse('The day is not over yet (RECONCILIATION.DAY_NOT_OVER)'),
        ...problems,
      },
    }),
    async (c: Context<Env, any, any>) => {
      if (!c.get('principal').admin) return fail(c, 403, { code: 'AUTH.ADMIN_REQUIRED', detail: 'this route needs the admin role' });
      const query = c.req.valid('query' as never) as z.infer<typeof ReconciliationQuerySchema>;
      const date = query.date ?? previousLocalDay(deps.clock.now(), deps.settings.policy.reconciliationTimeZone);
      const result = await reconciliationReport(deps, date);
      if (!result.ok) return refused(c, result.error);
      return c.json(ReconciliationSchema.parse(result.value), 200);
    },
  );
}
