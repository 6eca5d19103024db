/**
 * Routes that act on a plan: manual repayment, payoff quote, deferral, cancellation. Each is
 * wiring: guard → parse (zod) → use case → response; refusals become 4xx problem details.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../../shared/application/deps.ts';
import { cancelPlan, deferInstallment, quotePayoff, repayPlan } from '../../../shared/application/plan-actions.ts';
import { planView, repaymentView } from '../../../shared/application/plans.ts';
import type { CurrencyCode } from '../../../shared/domain/money.ts';
import type { Principal } from '../auth.ts';
import type { Idempotent } from '../idempotency.ts';
import { fail, json, problemResponse, problems as sharedProblems, refused, security } from '../openapi-helpers.ts';
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
} from '../schema.ts';

type Env = { Variables: { principal: Principal } };

const problems = { ...sharedProblems, 409: problemResponse('Refused in the current state, with a reason code') };

export function registerPlanActionRoutes(app: OpenAPIHono<any>, deps: Deps, idempotent: Idempotent) {
  /** The plan, when the caller may see it; a 404 otherwise (another customer's plan looks absent). */
  async function visiblePlan(c: Context<Env>, planId: string) {
    const detail = await deps.plans.get(planId);
    const p = c.get('principal');
    if (!detail || (!p.admin && p.sub !== detail.plan.customerId)) return undefined;
    return detail;
  }
  const planNotFound = (c: Context<Env>, planId: string) => fail(c, 404, { code: 'PLAN.NOT_FOUND', detail: `plan ${planId} does not exist` });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plans/{planId}/repayments',
      summary: 'Repay now: the next installment, everything overdue, the whole plan, or an amount',
      security,
      request: { params: PlanParams, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: RepaymentRequestSchema } }, required: true } },
      responses: {
        201: json(z.object({ status: z.literal('succeeded'), repayment: RepaymentSchema, plan: PlanSchema }), 'The succeeded repayment and the plan after it'),
        202: json(
          z.object({ status: z.literal('requires_action'), repayment: RepaymentSchema, next: NextActionSchema }),
          'The provider wants the customer to confirm (3-D Secure, a wallet password): carry out `next`; the result arrives like any other (the same request with the same Idempotency-Key answers it)',
        ),
        402: problemResponse('The payment was declined (the failed attempt is recorded)'),
        ...problems,
      },
    }),
    async (c: Context<Env, any, any>) => {
      const { planId } = c.req.valid('param' as never) as { planId: string };
      const input = c.req.valid('json' as never) as z.infer<typeof RepaymentRequestSchema>;
      const detail = await visiblePlan(c, planId);
      if (!detail) return planNotFound(c, planId);
      if (input.amount && input.amount.currency !== detail.plan.currency) {
        return fail(c, 400, { code: 'REQUEST.INVALID', detail: `amount.currency: the plan is in ${detail.plan.currency}`, errors: [{ field: 'amount.currency', message: `must be ${detail.plan.currency}` }] });
      }
      return (await idempotent(c, 'POST /v1/plans/{planId}/repayments', input, async () => {
        const result = await repayPlan(deps, {
          planId,
          scope: input.scope,
          ...(input.amount ? { amount: input.amount.amount } : {}),
          ...(input.paymentMethodId ? { paymentMethodId: input.paymentMethodId } : {}),
          idempotencyKey: c.req.header('idempotency-key') ?? '',
          caller: c.get('principal').sub,
        });
        if (!result.ok) {
          if (result.error.code === 'REPAYMENT.DECLINED') return problem(c, 402, { code: result.error.code, detail: result.error.message });
          return refusalProblem(c, result.error);
        }
        const outcome = result.value;
        if (outcome.status === 'requires_action') {
          return c.json({ status: 'requires_action' as const, repayment: repaymentView(outcome.repayment), next: outcome.next }, 202);
        }
        return c.json({ status: 'succeeded' as const, repayment: repaymentView(outcome.repayment), plan: planView(outcome.plan, outcome.installments) }, 201);
      })) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plans/{planId}/payoff-quote',
      summary: 'What paying off the whole plan costs today, itemised',
      security,
      request: { params: PlanParams },
      responses: { 200: json(PayoffQuoteSchema, 'The quote'), ...problems },
    }),
    async (c: Context<Env, any, any>) => {
      const { planId } = c.req.valid('param' as never) as { planId: string };
      if (!(await visiblePlan(c, planId))) return planNotFound(c, planId);
      const result = await quotePayoff(deps, planId);
      if (!result.ok) return refused(c, result.error);
      const q = result.value;
      const m = (amount: number) => ({ amount, currency: q.currency as CurrencyCode });
      return c.json(
        {
          asOf: q.asOf,
          principal: m(q.principal),
          fee: m(q.fee),
          lateFee: m(q.lateFee),
          waived: m(q.waived),
          total: m(q.total),
          items: q.items.map((i) => ({ period: i.period, principal: m(i.principal), fee: m(i.fee), lateFee: m(i.lateFee), waived: m(i.waived), total: m(i.total) })),
          charging: q.charging,
          currentPeriod: q.currentPeriod,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plans/{planId}/deferrals',
      summary: 'Defer one unpaid, not-yet-overdue installment (refusals say why)',
      security,
      request: { params: PlanParams, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: DeferralRequestSchema } }, required: true } },
      responses: { 201: json(PlanSchema, 'The plan with the new due date'), ...problems },
    }),
    async (c: Context<Env, any, any>) => {
      const { planId } = c.req.valid('param' as never) as { planId: string };
      const input = c.req.valid('json' as never) as z.infer<typeof DeferralRequestSchema>;
      if (!(await visiblePlan(c, planId))) return planNotFound(c, planId);
      return (await idempotent(
        c,
        'POST /v1/plans/{planId}/deferrals',
        input,
        async () => {
          const result = await deferInstallment(deps, { planId, ...input });
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(planView(result.value.plan, result.value.installments), 201);
        },
        { required: false },
      )) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plans/{planId}/cancel',
      summary: 'The order was returned: cancel unpaid installments and list paid amounts for refund (admin)',
      security,
      request: { params: PlanParams, headers: IdempotencyHeaders },
      responses: { 200: json(CancellationSchema, 'The cancelled plan and what to refund'), 403: problemResponse('Admin only'), ...problems },
    }),
    async (c: Context<Env, any, any>) => {
      const { planId } = c.req.valid('param' as never) as { planId: string };
      if (!c.get('principal').admin) return fail(c, 403, { code: 'AUTH.ADMIN_REQUIRED', detail: 'this route needs the admin role' });
      if (!(await visiblePlan(c, planId))) return planNotFound(c, planId);
      return (await idempotent(
        c,
        'POST /v1/plans/{planId}/cancel',
        {},
        async () => {
          const result = await cancelPlan(deps, planId);
          if (!result.ok) return refusalProblem(c, result.error);
          const { plan, installments, refundable, refundTotal } = result.value;
          const m = (amount: number) => ({ amount, currency: plan.currency });
          return c.json({ plan: planView(plan, installments), refundable: refundable.map((r) => ({ repaymentId: r.repaymentId, amount: m(r.amount) })), refundTotal: m(refundTotal) }, 200);
        },
        { required: false },
      )) as never;
    },
  );
}
