/**
 * The operators' lists (admin), newest first with cursor paging, each one index query per page:
 * `GET /v1/ops/failed-attempts` — failed repayment attempts with their reason and the next retry;
 * `GET /v1/ops/notices?status=failed|suppressed` — notices that did not go out, with the reason.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import type { Deps } from '../../../shared/application/deps.ts';
import { NOTICE_OUTCOME_LISTS } from '../../../shared/ports/notice-repository.port.ts';
import { adminOnlyResponse, adminRequired, createRouter, json, problems, security } from '../openapi-helpers.ts';
import { NoticeSchema, PageQuerySchema, pageOf, RepaymentSchema } from '../schema.ts';
import { noticeView, repaymentView } from '../views.ts';

export const FAILED_ATTEMPTS_PATH = '/v1/ops/failed-attempts';
export const OPS_NOTICES_PATH = '/v1/ops/notices';

const FailedAttemptSchema = z
  .object({
    planId: z.string(),
    customerId: z.string().optional().openapi({ description: "The plan's customer" }),
    repayment: RepaymentSchema.openapi({ description: 'The failed record: its periods, amount and `failureCode` (the reason)' }),
    nextAttemptAt: z.string().optional().openapi({ format: 'date-time', description: 'The next automatic retry of its installments, if one is scheduled' }),
  })
  .strict()
  .openapi('FailedAttempt');

const OpsNoticesQuerySchema = PageQuerySchema.extend({
  status: z.enum(NOTICE_OUTCOME_LISTS).openapi({ description: 'Which notices: those that failed, or those suppressed' }),
});

export function opsListRoutes(deps: Deps) {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: FAILED_ATTEMPTS_PATH,
      operationId: 'listFailedAttempts',
      tags: ['ops'],
      summary: 'Failed repayment attempts, newest first; cursor paging (admin)',
      security,
      request: { query: PageQuerySchema },
      responses: { 200: json(pageOf(FailedAttemptSchema, 'FailedAttemptPage'), 'A page of failed attempts'), ...adminOnlyResponse, ...problems },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      const { limit, cursor } = c.req.valid('query');
      const page = await deps.plans.listFailedAttempts({ limit, ...(cursor ? { cursor } : {}) });
      const items = page.attempts.map((a) => ({
        planId: a.record.planId,
        ...(a.customerId ? { customerId: a.customerId } : {}),
        repayment: repaymentView(a.record),
        ...(a.nextAttemptAt ? { nextAttemptAt: a.nextAttemptAt } : {}),
      }));
      return c.json({ items, cursor: page.cursor }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: OPS_NOTICES_PATH,
      operationId: 'listOpsNotices',
      tags: ['ops'],
      summary: 'Notices that failed or were suppressed, with the reason, newest first; cursor paging (admin)',
      security,
      request: { query: OpsNoticesQuerySchema },
      responses: { 200: json(pageOf(NoticeSchema, 'OpsNoticePage'), 'A page of notices'), ...adminOnlyResponse, ...problems },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      const { status, limit, cursor } = c.req.valid('query');
      const page = await deps.notices.listByOutcome(status, { limit, ...(cursor ? { cursor } : {}) });
      return c.json({ items: page.notices.map(noticeView), cursor: page.cursor }, 200);
    },
  );
  return router;
}
