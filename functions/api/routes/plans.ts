/**
 * Plans: create one at checkout (admin), list orders, read one, read its repayment records.
 * Each route is wiring: guard → parse (zod) → use case → view.
 */
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '../../../shared/application/deps.ts';
import { createPlan, listPlans } from '../../../shared/application/plans.ts';
import {
  adminOnlyResponse,
  adminRequired,
  bodyProblems,
  createRouter,
  type IdempotentRoute,
  json,
  notFound,
  problemResponse,
  problems,
  security,
  visiblePlan,
} from '../openapi-helpers.ts';
import { problem, refusalProblem } from '../problem.ts';
import { CreatePlanSchema, ListPlansQuerySchema, listOf, PlanParams, PlanSchema, PlanSummarySchema, pageOf, RepaymentSchema, RequiredIdempotencyHeaders } from '../schema.ts';
import { planSummaryView, planView, repaymentView } from '../views.ts';

const PlanPage = pageOf(PlanSummarySchema, 'PlanPage');
const RepaymentList = listOf(RepaymentSchema, 'RepaymentList');

export function planRoutes(deps: Deps, idempotent: IdempotentRoute) {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plans',
      operationId: 'createPlan',
      tags: ['plans'],
      summary: 'Create an installment plan at checkout (admin)',
      security,
      request: { headers: RequiredIdempotencyHeaders, body: { content: { 'application/json': { schema: CreatePlanSchema } }, required: true } },
      responses: {
        201: json(PlanSchema, 'Created (or, for a retry with the same Idempotency-Key, the plan it created)'),
        ...adminOnlyResponse,
        ...problems,
        400: problemResponse('Invalid input, or no Idempotency-Key (IDEMPOTENCY.KEY_REQUIRED)'),
        404: problemResponse('No such customer, or the payment method is not bound to them'),
        409: problemResponse('The order already has a plan (PLAN.ORDER_HAS_PLAN), or a request with this Idempotency-Key is still in progress'),
        422: problemResponse(
          'An intake rule refused the plan (PLAN.APR_ABOVE_MAX, PLAN.PURCHASE_DATE_OUTSIDE_WINDOW, PLAN.ZERO_INSTALLMENT …, naming the field), or the Idempotency-Key was used with a different request',
        ),
        ...bodyProblems,
      },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      const input = c.req.valid('json');
      const { 'idempotency-key': key } = c.req.valid('header');
      return idempotent(c, 'POST /v1/plans', input, async () => {
        // The same caller and key always name the same plan, so a re-run after a crash finds it.
        const planKey = createHash('sha256')
          .update(`${c.get('principal').sub}:${key}`)
          .digest('hex');
        const result = await createPlan(deps, input, { planId: `plan_${planKey.slice(0, 20)}` });
        if (!result.ok) return refusalProblem(c, result.error);
        return c.json(planView(result.value.plan, result.value.installments), 201);
      });
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plans',
      operationId: 'listPlans',
      tags: ['plans'],
      summary: "My orders; admins pass customerId for a customer's, or status to search every customer's",
      security,
      request: { query: ListPlansQuerySchema },
      responses: { 200: json(PlanPage, 'A page of plans'), ...problems },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const principal = c.get('principal');
      const customerId = principal.admin ? query.customerId : principal.sub;
      if (!principal.admin && query.customerId && query.customerId !== principal.sub) return c.json({ items: [], cursor: null }, 200);
      const scope = customerId ? { customerId, ...(query.status ? { status: query.status } : {}) } : query.status ? { status: query.status } : undefined;
      if (!scope)
        return problem(c, 400, {
          code: 'REQUEST.INVALID',
          detail: 'customerId or status: admins name a customer or a status',
          errors: [{ field: 'customerId', message: 'required for admins unless status is given' }],
        });
      const page = await listPlans(deps, scope, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}), ...(query.q ? { q: query.q } : {}) });
      const items = page.plans.map(({ plan, summary }) => planSummaryView(plan, summary));
      return c.json({ items, cursor: page.cursor }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plans/{planId}',
      operationId: 'getPlan',
      tags: ['plans'],
      summary: 'Order detail: paid and unpaid periods, amounts, next due date, next attempt',
      security,
      request: { params: PlanParams },
      responses: { 200: json(PlanSchema, 'The plan'), ...problems },
    }),
    async (c) => {
      const { planId } = c.req.valid('param');
      const detail = await visiblePlan(c, deps.plans, planId);
      if (!detail) return notFound(c, 'plan', planId);
      return c.json(planView(detail.plan, detail.installments), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plans/{planId}/repayments',
      operationId: 'listRepayments',
      tags: ['plans'],
      summary: 'Repayment records, oldest first',
      security,
      request: { params: PlanParams },
      responses: { 200: json(RepaymentList, 'Records'), ...problems },
    }),
    async (c) => {
      const { planId } = c.req.valid('param');
      if (!(await visiblePlan(c, deps.plans, planId))) return notFound(c, 'plan', planId);
      return c.json({ items: (await deps.plans.listRepayments(planId)).map(repaymentView) }, 200);
    },
  );

  return router;
}
