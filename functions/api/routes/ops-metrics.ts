/**
 * The operations console's numbers (admin), from the counters the plan commits keep:
 * `GET /v1/ops/agenda?date=` — a local day in the operations time zone by hour;
 * `GET /v1/ops/metrics/daily?from=&to=` — days with collections, failure rate, overdue and
 * defaulted, plus decline reasons and roll rates over the range.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import type { Deps } from '../../../shared/application/deps.ts';
import { MAX_METRICS_DAYS, opsAgenda, opsDailyMetrics } from '../../../shared/application/ops-metrics.ts';
import { isLocalDate } from '../../../shared/domain/calendar.ts';
import { CURRENCIES } from '../../../shared/domain/money.ts';
import { adminOnlyResponse, adminRequired, createRouter, json, problemResponse, problems, security } from '../openapi-helpers.ts';
import { refusalProblem } from '../problem.ts';

export const AGENDA_PATH = '/v1/ops/agenda';
export const DAILY_METRICS_PATH = '/v1/ops/metrics/daily';

const localDate = z.string().refine(isLocalDate, 'must be a calendar date YYYY-MM-DD').openapi({ example: '2026-02-28' });
const count = (description: string) => z.number().int().openapi({ description });

const EVENT_FIELDS = {
  due: count('Installments whose automatic debit came due (their first attempt was made)'),
  reminded: count('Reminders sent ahead of a debit'),
  attempted: count('Automatic debit attempts made'),
  paid: count('Automatic debits that succeeded'),
  failed: count('Automatic debits that failed (declined, or nothing to charge with)'),
  pending: count('Wallet debits still waiting for the wallet to confirm (counted in the hour they started)'),
  manual: count("Customers' own repayments that succeeded"),
  overdue: count('Installments that turned overdue'),
  plansOverdue: count('Plans that turned overdue'),
  defaulted: count('Plans that defaulted'),
};

const CollectedSchema = z
  .array(z.object({ amount: z.number().int(), currency: z.enum(CURRENCIES) }).strict())
  .openapi({ description: 'Money collected (automatic and manual), per currency in integer minor units' });

const HourSchema = z
  .object({ hour: z.number().int().min(0).max(23).openapi({ description: 'Local hour of the day' }), ...EVENT_FIELDS })
  .strict()
  .openapi('OpsHour');

const DAY_FIELDS = { date: z.string().openapi({ format: 'date' }), ...EVENT_FIELDS, collected: CollectedSchema };
const DaySchema = z.object(DAY_FIELDS).strict().openapi('OpsDay');

export const OpsAgendaSchema = z
  .object({
    date: z.string().openapi({ format: 'date' }),
    timeZone: z.string().openapi({ description: "The operations time zone (the policy's reconciliationTimeZone)" }),
    totals: DaySchema,
    hours: z.array(HourSchema).openapi({ description: 'The 24 local hours, 0 to 23' }),
  })
  .strict()
  .openapi('OpsAgenda');

export const OpsDailyMetricsSchema = z
  .object({
    from: z.string().openapi({ format: 'date' }),
    to: z.string().openapi({ format: 'date' }),
    timeZone: z.string(),
    days: z.array(
      z
        .object({ ...DAY_FIELDS, failureRate: z.number().nullable().openapi({ description: 'failed ÷ (paid + failed) of automatic debits; null when none settled' }) })
        .strict()
        .openapi('OpsDailyMetricsDay'),
    ),
    declineReasons: z.array(z.object({ code: z.string(), count: z.number().int() }).strict()).openapi({ description: 'Declines over the range by code, most frequent first' }),
    rollRates: z
      .object({
        currentToOverdue: z.number().nullable().openapi({ description: 'Installments that turned overdue ÷ installments that came due' }),
        overdueToDefaulted: z.number().nullable().openapi({ description: 'Plans that defaulted ÷ plans that turned overdue' }),
      })
      .strict(),
  })
  .strict()
  .openapi('OpsDailyMetrics');

const collectedList = (collected: Record<string, number>) =>
  Object.entries(collected)
    .filter(([, amount]) => amount !== 0)
    .map(([currency, amount]) => ({ amount, currency: currency as (typeof CURRENCIES)[number] }))
    .sort((a, b) => a.currency.localeCompare(b.currency));

export function opsMetricsRoutes(deps: Deps) {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: AGENDA_PATH,
      operationId: 'getOpsAgenda',
      tags: ['ops'],
      summary: "A local day's agenda by hour: due, reminded, attempted, paid, failed, pending (admin)",
      security,
      request: { query: z.object({ date: localDate.optional().openapi({ description: 'A local date in the operations time zone; default: today there' }) }) },
      responses: { 200: json(OpsAgendaSchema, 'The day by hour and in total'), ...adminOnlyResponse, ...problems },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      const { totals, ...agenda } = await opsAgenda(deps, c.req.valid('query').date);
      const { declines: _declines, collected, ...counts } = totals;
      return c.json({ ...agenda, totals: { ...counts, collected: collectedList(collected) } }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: DAILY_METRICS_PATH,
      operationId: 'getOpsDailyMetrics',
      tags: ['ops'],
      summary: 'Per local day: collected, failure rate, overdue, defaulted; decline reasons and roll rates over the range (admin)',
      security,
      request: {
        query: z.object({
          from: localDate.optional().openapi({ description: 'First local date; default: 29 days before `to`' }),
          to: localDate.optional().openapi({ description: 'Last local date; default: today in the operations time zone' }),
        }),
      },
      responses: {
        200: json(OpsDailyMetricsSchema, 'The days, oldest first'),
        ...adminOnlyResponse,
        ...problems,
        422: problemResponse(`\`from\` after \`to\` (METRICS.RANGE_INVALID) or more than ${MAX_METRICS_DAYS} days (METRICS.RANGE_TOO_LONG)`),
      },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      const result = await opsDailyMetrics(deps, c.req.valid('query'));
      if (!result.ok) return refusalProblem(c, result.error);
      const { days, ...rest } = result.value;
      return c.json({ ...rest, days: days.map((d) => ({ ...d, collected: collectedList(d.collected) })) }, 200);
    },
  );
  return router;
}
