/**
 * Views: the domain as the API shows it. Each view returns exactly its response schema's type
 * (functions/api/schema.ts), so a field added on one side and not the other does not compile.
 */
import type { z } from '@hono/zod-openapi';
import type { PayoffQuote } from '../../shared/domain/allocation.ts';
import { type Customer, maskEmail, maskPhone, type PaymentMethod } from '../../shared/domain/customer.ts';
import type { CurrencyCode } from '../../shared/domain/money.ts';
import type { NoticeRecord } from '../../shared/domain/notices.ts';
import type { PaymentSetup } from '../../shared/domain/payment-setup.ts';
import { amountDue, type Installment, type Plan, type PlanSummary, summarize } from '../../shared/domain/plan.ts';
import type { ReconciliationReport } from '../../shared/domain/reconciliation.ts';
import type { RepaymentRecord } from '../../shared/domain/repayment.ts';
import type { Principal } from './auth.ts';
import type { ReconciliationSchema } from './routes/ops-reconciliation.ts';
import type { SetupSchema } from './routes/payment-methods.ts';
import type {
  CancellationSchema,
  CustomerSchema,
  InstallmentSchema,
  NoticeSchema,
  PaymentMethodSchema,
  PayoffQuoteSchema,
  PlanSchema,
  PlanSummarySchema,
  RepaymentSchema,
} from './schema.ts';

type Out<T extends z.ZodType> = z.output<T>;

const money = (amount: number, currency: CurrencyCode) => ({ amount, currency });

/** Phone and email are masked for everyone but the merchant. */
export function customerView(c: Customer, principal: Principal): Out<typeof CustomerSchema> {
  return {
    id: c.customerId,
    name: c.name,
    phone: principal.admin ? c.phone : maskPhone(c.phone),
    ...(c.email ? { email: principal.admin ? c.email : maskEmail(c.email) } : {}),
    locale: c.locale,
    timeZone: c.timeZone,
    notifications: c.notifications,
    ...(c.reminderDaysBefore ? { reminderDaysBefore: c.reminderDaysBefore } : {}),
    ...(c.market ? { market: c.market } : {}),
    createdAt: c.createdAt,
    ...(c.erasedAt ? { erasedAt: c.erasedAt } : {}),
  };
}

export function methodView(m: PaymentMethod): Out<typeof PaymentMethodSchema> {
  return { id: m.paymentMethodId, type: m.type, display: m.display, isDefault: m.isDefault, createdAt: m.createdAt };
}

export function setupView(s: PaymentSetup, method?: PaymentMethod): Out<typeof SetupSchema> {
  return {
    setupId: s.setupId,
    provider: s.provider,
    type: s.type,
    status: s.status,
    ...(method ? { paymentMethod: methodView(method) } : {}),
    ...(s.failureCode ? { failureCode: s.failureCode } : {}),
    createdAt: s.createdAt,
    expiresAt: new Date(s.expiresAt * 1000).toISOString(),
  };
}

function installmentView(plan: Plan, i: Installment): Out<typeof InstallmentSchema> {
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
    ...(i.needsCustomerAction ? { needsCustomerAction: true as const } : {}),
    ...(i.paidAt ? { paidAt: i.paidAt } : {}),
    // Fell due with the rest when the plan defaulted; its own due date was acceleratedFrom.
    ...(i.acceleratedOn ? { acceleratedOn: i.acceleratedOn, ...(i.acceleratedFrom ? { acceleratedFrom: i.acceleratedFrom } : {}) } : {}),
  };
}

/** A plan without its installments (the list of orders), with its stored summary. */
export function planSummaryView(plan: Plan, summary: PlanSummary): Out<typeof PlanSummarySchema> {
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
    ...(summary.nextAmountDue === null ? {} : { nextAmountDue: money(summary.nextAmountDue, plan.currency) }),
    outstanding: money(summary.outstanding, plan.currency),
    amountPaid: money(plan.amountPaid, plan.currency),
    purchaseDate: plan.purchaseDate,
    timeZone: plan.timeZone,
    createdAt: plan.createdAt,
  };
}

/** Order detail: the plan and every installment. */
export function planView(plan: Plan, installments: readonly Installment[]): Out<typeof PlanSchema> {
  return { ...planSummaryView(plan, summarize(installments)), installments: installments.map((i) => installmentView(plan, i)) };
}

export function repaymentView(r: RepaymentRecord): Out<typeof RepaymentSchema> {
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

export function payoffQuoteView(q: PayoffQuote & { asOf: string; currency: CurrencyCode }): Out<typeof PayoffQuoteSchema> {
  const m = (amount: number) => money(amount, q.currency);
  return {
    asOf: q.asOf,
    principal: m(q.principal),
    fee: m(q.fee),
    lateFee: m(q.lateFee),
    waived: m(q.waived),
    total: m(q.total),
    items: q.items.map((i) => ({ period: i.period, principal: m(i.principal), fee: m(i.fee), lateFee: m(i.lateFee), waived: m(i.waived), total: m(i.total) })),
    charging: q.charging,
    currentPeriod: q.currentPeriod,
  };
}

export function cancellationView(c: {
  plan: Plan;
  installments: readonly Installment[];
  refundable: ReadonlyArray<{ repaymentId: string; amount: number }>;
  refundTotal: number;
}): Out<typeof CancellationSchema> {
  const m = (amount: number) => money(amount, c.plan.currency);
  return { plan: planView(c.plan, c.installments), refundable: c.refundable.map((r) => ({ repaymentId: r.repaymentId, amount: m(r.amount) })), refundTotal: m(c.refundTotal) };
}

export function noticeView({ dedupeKey, ...n }: NoticeRecord): Out<typeof NoticeSchema> {
  return {
    id: dedupeKey,
    customerId: n.customerId,
    planId: n.planId,
    kind: n.kind,
    channel: n.channel,
    to: n.to,
    body: n.body,
    status: n.status,
    ...(n.reason === undefined ? {} : { reason: n.reason }),
    createdAt: n.createdAt,
    ...(n.sendAt === undefined ? {} : { sendAt: n.sendAt }),
    ...(n.sentAt === undefined ? {} : { sentAt: n.sentAt }),
  };
}

/** A day's reconciliation: only the report's own fields, whatever the store keeps beside them. */
export function reconciliationView(r: ReconciliationReport): Out<typeof ReconciliationSchema> {
  return {
    date: r.date,
    timeZone: r.timeZone,
    ranAt: r.ranAt,
    providers: r.providers,
    captures: r.captures,
    records: r.records,
    differenceCount: r.differenceCount,
    ...(r.pending?.length ? { pending: r.pending.map((p) => ({ provider: p.provider, reason: p.reason, readyAt: p.readyAt })) } : {}),
    differences: r.differences.map((d) => ({
      kind: d.kind,
      provider: d.provider,
      idempotencyKey: d.idempotencyKey,
      ...(d.planId === undefined ? {} : { planId: d.planId }),
      ...(d.capture ? { capture: { amount: d.capture.amount, currency: d.capture.currency, gatewayReference: d.capture.gatewayReference, capturedAt: d.capture.capturedAt } } : {}),
      ...(d.record
        ? {
            record: {
              amount: d.record.amount,
              currency: d.record.currency,
              recordedAt: d.record.recordedAt,
              ...(d.record.gatewayReference === undefined ? {} : { gatewayReference: d.record.gatewayReference }),
            },
          }
        : {}),
      ...(d.recordStatus === undefined ? {} : { recordStatus: d.recordStatus }),
    })),
  };
}
