/**
 * create-plan — input: customer, order, principal, periods, fee terms, purchase date;
 * output: the plan with its schedule, or a refusal (unknown customer, foreign payment method,
 * any intake rule of domain/intake.ts: APR above the cap, purchase date outside the window, an
 * order that already has a plan, a 0.00 installment, totals beyond the exact range).
 * The policy in force now is frozen into the plan.
 *
 * get-plan / list-plans / list-repayments — the customer's views of their orders.
 */
import { NotFoundError } from '../domain/errors.ts';
import type { CurrencyCode } from '../domain/money.ts';
import { localDateOf } from '../domain/calendar.ts';
import { admitPlan, orderHasPlan } from '../domain/intake.ts';
import { debitOrder } from '../domain/customer.ts';
import { marketOf } from '../domain/profile.ts';
import { amountDue, summarize, type Installment, type Plan } from '../domain/plan.ts';
import { ok, refuse, type Result } from '../domain/result.ts';
import type { FeeTerms } from '../domain/schedule.ts';
import type { Policy } from '../domain/policy.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';
import type { Deps } from './deps.ts';

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
): Promise<Result<PlanView>> {
  const customer = await deps.customers.get(input.customerId);
  if (!customer) return refuse('CUSTOMER.NOT_FOUND', `customer ${input.customerId} does not exist`);
  const methods = await deps.customers.listPaymentMethods(input.customerId);
  if (input.paymentMethodId && !methods.some((m) => m.paymentMethodId === input.paymentMethodId)) {
    return refuse('PAYMENT_METHOD.NOT_FOUND', `payment method ${input.paymentMethodId} is not bound to customer ${input.customerId}`);
  }
  const first = debitOrder(methods, input.paymentMethodId)[0];
  const admitted = admitPlan({
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
  }, localDateOf(deps.clock.now(), customer.timeZone), {
    market: marketOf(customer),
    ...(first ? { method: { type: first.type, named: input.paymentMethodId !== undefined } } : {}),
  });
  if (!admitted.ok) return admitted;
  const detail = admitted.value;
  const created = await deps.plans.create(detail);
  if (created === 'order_taken') return { ok: false, error: orderHasPlan(input.orderId) };
  if (created === 'exists') {
    const existing = await deps.plans.get(detail.plan.planId);
    if (existing && existing.plan.customerId === input.customerId && existing.plan.orderId === input.orderId) return ok(planView(existing.plan, existing.installments));
    return refuse('PLAN.EXISTS', `plan ${detail.plan.planId} already exists`);
  }
  return ok(planView(detail.plan, detail.installments));
}

const money = (amount: number, currency: CurrencyCode) => ({ amount, currency });

export function planView(plan: Plan, installments: readonly Installment[]) {
  const summary = summarize(plan, installments);
  return {
    planId: plan.planId,
    customerId: plan.customerId,
    orderId: plan.orderId,
    productName: plan.productName,
    status: plan.status,
    currency: plan.currency,
    principal: money(plan.principal, plan.currency),
    totalFee: money(plan.totalFee, plan.currency),
    fee: plan.fee,
    apr: plan.apr,
    aprMethod: plan.policy.aprMethod ?? 'us_reg_z',
    periods: plan.periods,
    paidPeriods: summary.paidPeriods,
    unpaidPeriods: summary.unpaidPeriods,
    perPeriodAmount: money(summary.perPeriodAmount, plan.currency),
    nextDueDate: summary.nextDueDate,
    outstanding: money(summary.outstanding, plan.currency),
    amountPaid: money(plan.amountPaid, plan.currency),
    purchaseDate: plan.purchaseDate,
    timeZone: plan.timeZone,
    createdAt: plan.createdAt,
    installments: installments.map((i) => {
      return {
        period: i.period,
        dueDate: i.dueDate,
        principal: money(i.principal, plan.currency),
        fee: money(i.fee, plan.currency),
        lateFee: money(i.lateFee, plan.currency),
        amountDue: money(amountDue(i), plan.currency),
        amountPaid: money(i.amountPaid, plan.currency),
        status: i.status,
        ...(i.lastFailureCode ? { lastFailureCode: i.lastFailureCode } : {}),
        ...((i.status === 'failed' || i.status === 'overdue') && i.nextAttemptAt && !i.needsCustomerAction ? { nextAttemptAt: i.nextAttemptAt } : {}),
        ...(i.needsCustomerAction ? { needsCustomerAction: true } : {}),
        ...(i.paidAt ? { paidAt: i.paidAt } : {}),
        // Fell due with the rest when the plan defaulted; its own due date was acceleratedFrom.
        ...(i.acceleratedOn ? { acceleratedOn: i.acceleratedOn, ...(i.acceleratedFrom ? { acceleratedFrom: i.acceleratedFrom } : {}) } : {}),
      };
    }),
  };
}

export type PlanView = ReturnType<typeof planView>;

export async function getPlan(deps: Pick<Deps, 'plans'>, planId: string) {
  const detail = await deps.plans.get(planId);
  if (!detail) throw new NotFoundError('plan', planId);
  return detail;
}

export async function listPlans(deps: Pick<Deps, 'plans'>, customerId: string, options: { limit: number; cursor?: string; q?: string }) {
  return deps.plans.listByCustomer(customerId, options);
}

export function repaymentView(r: RepaymentRecord) {
  return {
    id: r.id,
    kind: r.kind,
    periods: r.periods,
    amount: money(r.amount, r.currency),
    paymentMethod: { id: r.paymentMethodId, display: r.paymentMethodDisplay },
    status: r.status,
    ...(r.failureCode ? { failureCode: r.failureCode } : {}),
    createdAt: r.createdAt,
  };
}
