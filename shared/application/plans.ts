/**
 * create-plan — input: customer, order, principal, periods, fee terms, purchase date;
 * output: the plan with its schedule, or a refusal (unknown customer, foreign payment method,
 * any intake rule of domain/intake.ts: APR above the cap, purchase date outside the window, an
 * order that already has a plan, a 0.00 installment, totals beyond the exact range).
 * The policy in force now is frozen into the plan.
 *
 * get-plan / list-plans / list-repayments — the customer's views of their orders.
 */

import { localDateOf } from '../domain/calendar.ts';
import { debitOrder } from '../domain/customer.ts';
import { NotFoundError } from '../domain/errors.ts';
import { admitPlan, orderHasPlan } from '../domain/intake.ts';
import type { CurrencyCode } from '../domain/money.ts';
import { type Installment, type Plan, type PlanStatus, type PlanSummary, summarize } from '../domain/plan.ts';
import type { Policy } from '../domain/policy.ts';
import { ok, type Refused, type Result, refuse } from '../domain/result.ts';
import type { FeeTerms } from '../domain/schedule.ts';
import type { PlanListOptions } from '../ports/plan-repository.port.ts';
import type { Deps } from './deps.ts';
import { customerMarket } from './phone-rules.ts';

/** A plan and its installments. */
export interface PlanDetail {
  plan: Plan;
  installments: Installment[];
}

export interface NewPlan {
  customerId: string;
  orderId: string;
  productName: string;
  principal: { amount: number; currency: CurrencyCode };
  periods: number;
  fee: FeeTerms;
  purchaseDate: string;
  billingDay?: number;
  paymentMethodId?: string;
  /** This plan's own disclosure and payoff choices, over the deployment's policy. */
  policy?: Partial<Pick<Policy, 'aprMethod' | 'payoffFees' | 'remainderTo'>>;
}

/**
 * The policy in force now is frozen into the plan; a customer's own reminder days (a profile
 * preference) replace the policy's for their new plans. With `planId` (derived from the
 * request's idempotency key) a re-run of the same checkout finds the plan it made instead of
 * making a second one.
 */
export async function createPlan(
  deps: Pick<Deps, 'customers' | 'plans' | 'ids' | 'clock' | 'settings'>,
  input: NewPlan,
  options: { planId?: string } = {},
): Promise<Result<PlanDetail, Refused<'not_found' | 'conflict' | 'unprocessable'>>> {
  const customer = await deps.customers.get(input.customerId);
  if (!customer) return refuse('not_found', 'CUSTOMER.NOT_FOUND', `customer ${input.customerId} does not exist`);
  if (customer.erasedAt) return refuse('not_found', 'CUSTOMER.ERASED', `customer ${input.customerId} was erased`);
  const methods = await deps.customers.listPaymentMethods(input.customerId);
  if (input.paymentMethodId && !methods.some((m) => m.paymentMethodId === input.paymentMethodId)) {
    return refuse('not_found', 'PAYMENT_METHOD.NOT_FOUND', `payment method ${input.paymentMethodId} is not bound to customer ${input.customerId}`);
  }
  const first = debitOrder(methods, input.paymentMethodId)[0];
  const market = await customerMarket(customer);
  const admitted = admitPlan(
    {
      planId: options.planId ?? deps.ids.next('plan'),
      customerId: input.customerId,
      orderId: input.orderId,
      productName: input.productName,
      currency: input.principal.currency,
      principal: input.principal.amount,
      periods: input.periods,
      fee: input.fee,
      purchaseDate: input.purchaseDate,
      ...(input.billingDay === undefined ? {} : { billingDay: input.billingDay }),
      timeZone: customer.timeZone,
      policy: {
        ...deps.settings.policy,
        ...(customer.reminderDaysBefore ? { reminderDaysBefore: customer.reminderDaysBefore } : {}),
        ...Object.fromEntries(Object.entries(input.policy ?? {}).filter(([, v]) => v !== undefined)),
      },
      ...(input.paymentMethodId ? { paymentMethodId: input.paymentMethodId } : {}),
      createdAt: deps.clock.now().toISOString(),
    },
    localDateOf(deps.clock.now(), customer.timeZone),
    {
      market,
      ...(first ? { method: { type: first.type, named: input.paymentMethodId !== undefined } } : {}),
    },
  );
  if (!admitted.ok) return admitted;
  const detail = admitted.value;
  const created = await deps.plans.create(detail);
  if (created === 'order_taken') return { ok: false, error: orderHasPlan(input.orderId) };
  if (created === 'exists') {
    const existing = await deps.plans.get(detail.plan.planId);
    if (existing && existing.plan.customerId === input.customerId && existing.plan.orderId === input.orderId) return ok(existing);
    return refuse('conflict', 'PLAN.EXISTS', `plan ${detail.plan.planId} already exists`);
  }
  return ok(detail);
}

export async function getPlan(deps: Pick<Deps, 'plans'>, planId: string) {
  const detail = await deps.plans.get(planId);
  if (!detail) throw new NotFoundError('plan', planId);
  return detail;
}

/** Whose plans a list shows: one customer's (optionally in one status), or every customer's in one status. */
export type PlanListScope = { customerId: string; status?: PlanStatus } | { status: PlanStatus };

/**
 * A page of plans with their summaries, in one query: each plan's item carries its summary.
 * A plan written before summaries were stored is read whole, once, until its next change.
 */
export async function listPlans(
  deps: Pick<Deps, 'plans'>,
  scope: PlanListScope,
  options: Omit<PlanListOptions, 'status'>,
): Promise<{ plans: Array<{ plan: Plan; summary: PlanSummary }>; cursor: string | null }> {
  const page =
    'customerId' in scope
      ? await deps.plans.listByCustomer(scope.customerId, { ...options, ...(scope.status ? { status: scope.status } : {}) })
      : await deps.plans.listByStatus(scope.status, options);
  const plans = await Promise.all(
    page.plans.map(async ({ plan, summary }) => {
      if (summary) return { plan, summary };
      const detail = await getPlan(deps, plan.planId);
      return { plan, summary: summarize(detail.installments) };
    }),
  );
  return { plans, cursor: page.cursor };
}
