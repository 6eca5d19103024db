/**
 * Routes that act on a plan: manual repayment, payoff quote, deferral, cancellation. Each is
 * wiring: guard → parse (zod) → use case → view; refusals become 4xx problem details.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import type { Deps } from '../../../shared/application/deps.ts';
import { cancelPlan, deferInstallment, quotePayoff, repayPlan } from '../../../shared/application/plan-actions.ts';
import {
  adminOnlyResponse,
  adminRequired,
  bodyProblems,
  createRouter,
  type IdempotentRoute,
  idempotencyProblems,
  json,
  notFound,
  problemResponse,
  problems,
  security,
  visiblePlan,
} from '../openapi-helpers.ts';
import { problem, refusalProblem } from '../problem.ts';
import {
  CancellationSchema,
  DeferralRequestSchema,
  IdempotencyHeaders,
  NextActionSchema,
  PayoffQuoteSchema,
  PlanParams,
  PlanSchema,
  RepaymentRequestSchema,
  RepaymentSchema,
  RequiredIdempotencyHeaders,
} from '../schema.ts';
import { cancellationView, payoffQuoteView, planView, repaymentView } from '../views.ts';

const refusedInState = problemResponse(
  'Refused in the current state, with a reason code (a temporary one carries Retry-After), or a request with this Idempotency-Key is still in progress',
);

const RepaymentSucceededSchema = z
  .object({ status: z.literal('succeeded'), repayment: RepaymentSchema, plan: PlanSchema })
  .strict()
  .openapi('RepaymentSucceeded');
const RepaymentRequiresActionSchema = z
  .object({ status: z.literal('requires_action'), repayment: RepaymentSchema, next: NextActionSchema })
  .strict()
  .openapi('RepaymentRequiresAction');

export function planActionRoutes(deps: Deps, idempotent: IdempotentRoute) {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plans/{planId}/repayments',
      operationId: 'repayPlan',
      tags: ['plans'],
      summary: 'Repay now: the next installment, everything overdue, the whole plan, or an amount',
      security,
      request: { params: PlanParams, headers: RequiredIdempotencyHeaders, body: { content: { 'application/json': { schema: RepaymentRequestSchema } }, required: true } },
      responses: {
        201: json(RepaymentSucceededSchema, 'The succeeded repayment and the plan after it'),
        202: json(
          RepaymentRequiresActionSchema,
          'The provider wants the customer to confirm (3-D Secure, a wallet password): carry out `next`; the result arrives like any other (the same request with the same Idempotency-Key answers it)',
        ),
        ...problems,
        400: problemResponse('Invalid input, or no Idempotency-Key (IDEMPOTENCY.KEY_REQUIRED)'),
        402: problemResponse('The payment was declined (REPAYMENT.DECLINED; the failed attempt is recorded)'),
        404: problemResponse('No such plan (or not yours), or no such payment method bound'),
        409: refusedInState,
        422: problemResponse('This Idempotency-Key was used for another payment (IDEMPOTENCY.KEY_REUSED)'),
        ...bodyProblems,
      },
    }),
    async (c) => {
      const { planId } = c.req.valid('param');
      const input = c.req.valid('json');
      const { 'idempotency-key': key } = c.req.valid('header');
      const detail = await visiblePlan(c, deps.plans, planId);
      if (!detail) return notFound(c, 'plan', planId);
      if (input.amount && input.amount.currency !== detail.plan.currency) {
        return problem(c, 400, {
          code: 'REQUEST.INVALID',
          detail: `amount.currency: the plan is in ${detail.plan.currency}`,
          errors: [{ field: 'amount.currency', message: `must be ${detail.plan.currency}` }],
        });
      }
      return idempotent(c, 'POST /v1/plans/{planId}/repayments', input, async () => {
        const result = await repayPlan(
          deps,
          {
            planId,
            scope: input.scope,
            ...(input.amount ? { amount: input.amount.amount } : {}),
            ...(input.paymentMethodId ? { paymentMethodId: input.paymentMethodId } : {}),
            idempotencyKey: key,
            caller: c.get('principal').sub,
          },
          detail,
        );
        if (!result.ok) return refusalProblem(c, result.error);
        const outcome = result.value;
        if (outcome.status === 'requires_action') {
          return c.json({ status: 'requires_action' as const, repayment: repaymentView(outcome.repayment), next: outcome.next }, 202);
        }
        return c.json({ status: 'succeeded' as const, repayment: repaymentView(outcome.repayment), plan: planView(outcome.plan, outcome.installments) }, 201);
      });
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plans/{planId}/payoff-quote',
      operationId: 'quotePayoff',
      tags: ['plans'],
      summary: 'What paying off the whole plan costs today, itemised',
      security,
      request: { params: PlanParams },
      responses: { 200: json(PayoffQuoteSchema, 'The quote'), ...problems, 409: problemResponse('The plan has nothing left to pay (PLAN.NOTHING_OUTSTANDING)') },
    }),
    async (c) => {
      const { planId } = c.req.valid('param');
      const detail = await visiblePlan(c, deps.plans, planId);
      if (!detail) return notFound(c, 'plan', planId);
      const result = await quotePayoff(deps, planId, detail);
      if (!result.ok) return refusalProblem(c, result.error);
      return c.json(payoffQuoteView(result.value), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plans/{planId}/deferrals',
      operationId: 'deferInstallment',
      tags: ['plans'],
      summary: 'Defer one unpaid, not-yet-overdue installment (refusals say why)',
      security,
      request: { params: PlanParams, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: DeferralRequestSchema } }, required: true } },
      responses: { 201: json(PlanSchema, 'The plan with the new due date'), ...problems, ...idempotencyProblems, 409: refusedInState, ...bodyProblems },
    }),
    async (c) => {
      const { planId } = c.req.valid('param');
      const input = c.req.valid('json');
      const detail = await visiblePlan(c, deps.plans, planId);
      if (!detail) return notFound(c, 'plan', planId);
      return idempotent(
        c,
        'POST /v1/plans/{planId}/deferrals',
        input,
        async () => {
          const result = await deferInstallment(deps, { planId, ...input }, detail);
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(planView(result.value.plan, result.value.installments), 201);
        },
        { required: false },
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plans/{planId}/cancel',
      operationId: 'cancelPlan',
      tags: ['plans'],
      summary: 'The order was returned: cancel unpaid installments and list paid amounts for refund (admin)',
      security,
      request: { params: PlanParams, headers: IdempotencyHeaders },
      responses: { 200: json(CancellationSchema, 'The cancelled plan and what to refund'), ...adminOnlyResponse, ...problems, ...idempotencyProblems, 409: refusedInState },
    }),
    async (c) => {
      const { planId } = c.req.valid('param');
      if (!c.get('principal').admin) return adminRequired(c);
      const detail = await visiblePlan(c, deps.plans, planId);
      if (!detail) return notFound(c, 'plan', planId);
      return idempotent(
        c,
        'POST /v1/plans/{planId}/cancel',
        {},
        async () => {
          const result = await cancelPlan(deps, planId, detail);
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(cancellationView(result.value), 200);
        },
        { required: false },
      );
    },
  );

  return router;
}
