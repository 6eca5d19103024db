/**
 * `GET /v1/ops/reconciliation?date=` (admin): the stored reconciliation report of a local day
 * in the policy's `reconciliationTimeZone`. A finished day without a stored report (before the
 * schedule ran, a missed run) is reconciled on the spot and stored; today or a later day answers
 * 409 `RECONCILIATION.DAY_NOT_OVER`. Without `date`: the previous local day.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import type { Deps } from '../../../shared/application/deps.ts';
import { reconciliationReport } from '../../../shared/application/reconcile-day.ts';
import { isLocalDate } from '../../../shared/domain/calendar.ts';
import { previousLocalDay } from '../../../shared/domain/reconciliation.ts';
import { REPAYMENT_STATUSES } from '../../../shared/domain/repayment.ts';
import { adminOnlyResponse, adminRequired, createRouter, json, problemResponse, problems, security } from '../openapi-helpers.ts';
import { refusalProblem } from '../problem.ts';
import { reconciliationView } from '../views.ts';

export const RECONCILIATION_PATH = '/v1/ops/reconciliation';

const localDate = z.string().refine(isLocalDate, 'must be a calendar date YYYY-MM-DD').openapi({ example: '2026-02-28' });
const Amount = z.object({ amount: z.number().int(), currency: z.string().openapi({ description: 'As the provider or the record states it' }) });

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
    capture: Amount.extend({ gatewayReference: z.string(), capturedAt: z.string().openapi({ format: 'date-time' }) })
      .strict()
      .optional(),
    record: Amount.extend({ recordedAt: z.string().openapi({ format: 'date-time' }), gatewayReference: z.string().optional() })
      .strict()
      .optional(),
    recordStatus: z.enum(REPAYMENT_STATUSES).optional().openapi({ description: '`missing_record`: the record held under that key, if any' }),
  })
  .strict()
  .openapi('ReconciliationDifference');

export const ReconciliationSchema = z
  .object({
    date: z.string().openapi({ format: 'date' }),
    timeZone: z.string(),
    ranAt: z.string().openapi({ format: 'date-time' }),
    providers: z.array(z.string()),
    captures: z.number().int().openapi({ description: 'Captures the providers list within the day' }),
    records: z.number().int().openapi({ description: 'Succeeded records within the day' }),
    differenceCount: z.number().int(),
    differences: z.array(DifferenceSchema).openapi({ description: 'At most the first 500; differenceCount tells them all' }),
    pending: z
      .array(
        z
          .object({
            provider: z.string(),
            reason: z.string(),
            readyAt: z.string().openapi({ format: 'date-time', description: 'When its listing of the day is expected to be whole' }),
          })
          .strict(),
      )
      .optional()
      .openapi({
        description:
          'Providers whose listing of the day was not published yet (a daily bill comes the next morning): not compared yet, so the report is not final; the day is reconciled again for them later',
      }),
  })
  .strict()
  .openapi('Reconciliation');

export function reconciliationRoutes(deps: Deps) {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: RECONCILIATION_PATH,
      operationId: 'getReconciliation',
      tags: ['ops'],
      summary: "A day's reconciliation: provider captures against repayment records, both ways (admin)",
      security,
      request: { query: ReconciliationQuerySchema },
      responses: {
        200: json(ReconciliationSchema, 'The report of that day (reconciled now if it had not been yet)'),
        ...adminOnlyResponse,
        409: problemResponse('The day is not over yet (RECONCILIATION.DAY_NOT_OVER)'),
        ...problems,
      },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      const query = c.req.valid('query');
      const date = query.date ?? previousLocalDay(deps.clock.now(), deps.settings.policy.reconciliationTimeZone);
      const result = await reconciliationReport(deps, date);
      if (!result.ok) return refusalProblem(c, result.error);
      return c.json(reconciliationView(result.value), 200);
    },
  );
  return router;
}
