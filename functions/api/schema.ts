/**
 * Request and response schemas of the v1 API: one zod definition serves validation and the
 * OpenAPI document.
 *
 * `z` is zod's own module namespace (as everywhere in repayflow), not the `z` @hono/zod-openapi
 * re-exports: that one is a namespace object, which keeps every zod export in the Lambda bundle
 * (~45 KB); infra/aws/bundle.ts removes it there.
 */
// Adds `.openapi()` to zod's schemas before any is defined here.
import '@hono/zod-openapi';
import * as z from 'zod';
import { PAYOFF_FEE_POLICIES } from '../../shared/domain/allocation.ts';
import { APR_METHODS } from '../../shared/domain/apr.ts';
import { isLocalDate } from '../../shared/domain/calendar.ts';
import { LOCALES, PAYMENT_METHOD_TYPES } from '../../shared/domain/customer.ts';
import { CURRENCIES, isValidRate, REMAINDER_PLACEMENTS } from '../../shared/domain/money.ts';
import { NOTICE_CHANNELS, NOTICE_KINDS, NOTICE_STATUSES } from '../../shared/domain/notices.ts';
import { INSTALLMENT_STATUSES, MAX_PERIODS, PLAN_STATUSES } from '../../shared/domain/plan.ts';
import { REPAYMENT_KINDS, REPAYMENT_STATUSES } from '../../shared/domain/repayment.ts';

export const MoneySchema = z
  .object({
    amount: z.number().int().openapi({ description: 'Integer minor units (fen, cents; yen have none)', example: 544000 }),
    currency: z.enum(CURRENCIES).openapi({ example: 'CNY' }),
  })
  .strict()
  .openapi('Money');

const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +8613800138000')
  .openapi({ example: '+8613800138000' });

/** A canonical IANA name; checked by the profile rules (422 with the canonical spelling). */
const timeZone = z.string().min(1).max(64).openapi({ example: 'Asia/Shanghai' });
const market = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 country code such as CN')
  .openapi({ description: "The country whose currency the customer's plans are in; the phone number's country when absent", example: 'CN' });
const localDate = z.string().refine(isLocalDate, 'must be a calendar date YYYY-MM-DD').openapi({ example: '2026-01-31' });
const dateTime = z.string().openapi({ format: 'date-time', example: '2026-02-28T01:00:00.000Z' });
const date = z.string().openapi({ format: 'date', example: '2026-02-28' });
const count = z.number().int().min(0);
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');

export const NotificationPrefsSchema = z.object({ sms: z.boolean(), email: z.boolean() }).strict();

const reminderDaysBefore = z
  .array(z.number().int().min(1).max(30))
  .min(1)
  .max(10)
  .refine((days) => new Set(days).size === days.length, 'must not repeat a day')
  .openapi({ description: 'Days before each due date on which the customer is reminded (plans created from now on)', example: [3, 1] });

export const CreateCustomerSchema = z
  .object({
    id: id.optional(),
    name: z.string().trim().min(1).max(100),
    phone: e164,
    email: z.string().email().max(254).optional(),
    locale: z.enum(LOCALES).default('zh-CN'),
    timeZone: timeZone.default('Asia/Shanghai'),
    notifications: NotificationPrefsSchema.default({ sms: true, email: false }),
    reminderDaysBefore: reminderDaysBefore.optional(),
    market: market.optional(),
  })
  .strict()
  .openapi('CreateCustomer');

export const UpdateCustomerSchema = z
  .object({
    locale: z.enum(LOCALES).optional(),
    timeZone: timeZone.optional(),
    email: z.string().email().max(254).optional(),
    phone: e164.optional(),
    notifications: NotificationPrefsSchema.partial().strict().optional(),
    reminderDaysBefore: reminderDaysBefore.optional(),
    market: market.optional(),
  })
  .strict()
  .openapi('UpdateCustomer');

export const CustomerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string(),
    email: z.string().optional(),
    locale: z.enum(LOCALES),
    timeZone: z.string(),
    notifications: NotificationPrefsSchema,
    reminderDaysBefore: z.array(z.number().int()).optional(),
    market: z.string().optional().openapi({ description: "The country whose currency the customer's plans are in" }),
    createdAt: dateTime,
    erasedAt: dateTime.optional().openapi({ description: 'Set on the tombstone of an erased customer (only the merchant sees it): name and phone then read `erased`' }),
  })
  .strict()
  .openapi('Customer');

export const BindPaymentMethodSchema = z
  .object({
    type: z.enum(PAYMENT_METHOD_TYPES),
    token: z
      .string()
      .regex(/^(tok|pm)_[A-Za-z0-9_]{1,96}$/, 'must be a reference the provider issued, such as a Stripe PaymentMethod id (pm_…) — never a card number')
      .openapi({
        description: 'A reference the provider issued to the client (Stripe.js PaymentMethod id; a simulated token locally); the provider verifies it',
        example: 'pm_card_visa',
      }),
    display: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .refine((d) => !/\d{7,}/.test(d), 'must be masked: at most 6 digits in a row')
      .optional()
      .openapi({ description: "Ignored where the provider reports the method's own masked display (brand and last 4)" }),
    makeDefault: z.boolean().optional(),
  })
  .strict()
  .openapi('BindPaymentMethod');

export const UpdatePaymentMethodSchema = z
  .object({ makeDefault: z.literal(true).openapi({ description: 'Debit this method first from now on' }) })
  .strict()
  .openapi('UpdatePaymentMethod');

export const PaymentMethodSchema = z
  .object({ id: z.string(), type: z.enum(PAYMENT_METHOD_TYPES), display: z.string(), isDefault: z.boolean(), createdAt: dateTime })
  .strict()
  .openapi('PaymentMethod');

const decimalRate = z.string().refine(isValidRate, 'must be a decimal string such as "0.088"');

export const FeeSchema = z
  .discriminatedUnion('model', [
    z.object({ model: z.literal('flat'), rate: decimalRate.openapi({ description: 'Total fee = principal × rate', example: '0.088' }) }).strict(),
    z.object({ model: z.literal('annuity'), annualRate: decimalRate.openapi({ description: '等额本息: equal payments', example: '0.049' }) }).strict(),
    z.object({ model: z.literal('equal_principal'), annualRate: decimalRate.openapi({ description: '等额本金: equal principal', example: '0.049' }) }).strict(),
  ])
  .openapi('Fee');

export const CreatePlanSchema = z
  .object({
    customerId: id,
    orderId: z.string().trim().min(1).max(64),
    productName: z.string().trim().min(1).max(120),
    principal: MoneySchema.refine((m) => m.amount > 0, { message: 'must be positive', path: ['amount'] }),
    periods: z.number().int().min(1).max(MAX_PERIODS),
    fee: FeeSchema,
    purchaseDate: localDate,
    billingDay: z.number().int().min(1).max(31).optional(),
    paymentMethodId: id.optional(),
    policy: z
      .object({
        aprMethod: z.enum(APR_METHODS).optional().openapi({ description: 'us_reg_z: Reg Z Appendix J (default); eu_aprc: the EU APRC, effective annual over actual days' }),
        payoffFees: z.enum(PAYOFF_FEE_POLICIES).optional().openapi({ description: "What an early payoff charges of a flat plan's fees not yet past" }),
        remainderTo: z.enum(REMAINDER_PLACEMENTS).optional().openapi({ description: 'Which periods take the rounding remainder' }),
      })
      .strict()
      .optional()
      .openapi({ description: "This plan's disclosure and payoff choices, frozen into it (the deployment's policy otherwise)" }),
  })
  .strict()
  .openapi('CreatePlan');

export const InstallmentSchema = z
  .object({
    period: z.number().int().min(1),
    dueDate: date,
    principal: MoneySchema,
    fee: MoneySchema.openapi({ description: 'Fee or interest of the period' }),
    lateFee: MoneySchema,
    amountDue: MoneySchema.openapi({ description: 'What is left to pay of this period' }),
    amountPaid: MoneySchema,
    status: z.enum(INSTALLMENT_STATUSES),
    lastFailureCode: z.string().optional().openapi({ description: 'Why the last debit failed (insufficient_funds, card_expired …)' }),
    nextAttemptAt: dateTime.optional().openapi({ description: 'When the next automatic debit happens (failed or overdue installments)' }),
    needsCustomerAction: z.literal(true).optional().openapi({ description: 'No automatic retry until the customer binds or chooses another method' }),
    paidAt: dateTime.optional(),
    acceleratedOn: date.optional().openapi({ description: 'The day the plan defaulted and this installment fell due with the rest (acceleration)' }),
    acceleratedFrom: date.optional().openapi({ description: 'Its own due date before acceleration, when that was later' }),
  })
  .strict()
  .openapi('Installment');

const planFields = {
  planId: z.string(),
  customerId: z.string(),
  orderId: z.string(),
  productName: z.string(),
  status: z.enum(PLAN_STATUSES),
  currency: z.enum(CURRENCIES),
  principal: MoneySchema,
  totalFee: MoneySchema.openapi({ description: 'All fees or interest of the schedule' }),
  fee: FeeSchema,
  apr: z.string().openapi({ description: 'Annualised cost including all fees, by aprMethod', example: '0.1597' }),
  aprMethod: z.enum(APR_METHODS).openapi({ description: 'us_reg_z: Reg Z Appendix J (IRR × 12); eu_aprc: the EU APRC, effective annual over actual days' }),
  periods: count,
  paidPeriods: count,
  unpaidPeriods: count,
  perPeriodAmount: MoneySchema,
  nextDueDate: date.nullable(),
  nextAmountDue: MoneySchema.optional().openapi({ description: 'What the installment due next still needs, late fee included; absent when nothing is left' }),
  outstanding: MoneySchema,
  amountPaid: MoneySchema.openapi({ description: 'Everything collected so far, late fees included' }),
  purchaseDate: date,
  timeZone: z.string().openapi({ description: "The customer's IANA time zone, in which due dates are calendar dates" }),
  createdAt: dateTime,
};

export const PlanSchema = z
  .object({ ...planFields, installments: z.array(InstallmentSchema) })
  .strict()
  .openapi('Plan');

export const PlanSummarySchema = z.object(planFields).strict().openapi('PlanSummary');

export const RepaymentSchema = z
  .object({
    id: z.string(),
    kind: z.enum(REPAYMENT_KINDS),
    periods: z.array(z.number().int().min(1)),
    amount: MoneySchema,
    paymentMethod: z.object({ id: z.string(), display: z.string() }).strict(),
    status: z.enum(REPAYMENT_STATUSES),
    failureCode: z.string().optional(),
    createdAt: dateTime,
  })
  .strict()
  .openapi('Repayment');

export const NextActionSchema = z
  .discriminatedUnion('type', [
    z
      .object({ type: z.literal('stripe_sdk'), clientSecret: z.string(), publishableKey: z.string().optional() })
      .strict()
      .openapi({ description: 'Stripe.js: handleNextAction / confirmCardSetup with this client secret' }),
    z
      .object({ type: z.literal('redirect'), url: z.string() })
      .strict()
      .openapi({ description: "Open the provider's page (signing, password, 3-D Secure)" }),
    z
      .object({ type: z.literal('qr_code'), payload: z.string() })
      .strict()
      .openapi({ description: 'Show as a QR code for the wallet app' }),
  ])
  .openapi('NextAction', { description: "What the customer does next, in the provider's own terms" });

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: 'A URI naming the problem (https://repayflow.dev/problems/<code>)' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional().openapi({ description: 'What happened, for people' }),
    code: z.string().optional().openapi({ description: 'Stable machine-readable code, e.g. INSTALLMENT.ALREADY_PAID', example: 'REQUEST.INVALID' }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }).strict())
      .optional()
      .openapi({ description: 'Each field at fault' }),
  })
  .catchall(z.unknown())
  .openapi('Problem', { description: 'RFC 9457 problem details; some problems add members (failureCode, smallestPrincipal …)' });

export const ListPlansQuerySchema = z.object({
  customerId: id.optional().openapi({ description: "Admins: that customer's plans. Without it an admin names a status and searches every customer's plans" }),
  status: z.enum(PLAN_STATUSES).optional().openapi({ description: 'Only plans in this status (admins without customerId: required)' }),
  q: z.string().max(64).optional().openapi({ description: 'Matches order id or product name (case-insensitive); a filtered page may hold fewer items, its cursor goes on' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

export const CustomerParams = z.object({ id });
export const PlanParams = z.object({ planId: id });
export const PaymentMethodParams = z.object({ id, pmId: id });
const idempotencyKey = z.string().min(1).max(255).openapi({
  description: 'Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day',
  example: '0c6f6f0e-8d3e-4a9b-9d61-3c8f3c1c2f51',
});
/** An Idempotency-Key the route honours when sent. */
export const IdempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey.optional() });
/** An Idempotency-Key the route refuses to run without (400 IDEMPOTENCY.KEY_REQUIRED). */
export const RequiredIdempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey });

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional().openapi({ description: 'The cursor of the previous page' }),
});

/** A page of `item`s; `cursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({ items: z.array(item), cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page' }) })
    .strict()
    .openapi(name);
/** A whole list of `item`s. */
export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({ items: z.array(item) })
    .strict()
    .openapi(name);

export const NoticeSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    planId: z.string(),
    kind: z.enum(NOTICE_KINDS),
    channel: z.enum(NOTICE_CHANNELS),
    to: z.string().openapi({ description: 'Masked recipient' }),
    body: z.string(),
    status: z.enum(NOTICE_STATUSES).openapi({ description: 'scheduled: an SMS held back by quiet hours until sendAt' }),
    reason: z.string().optional(),
    createdAt: dateTime,
    sendAt: dateTime.optional(),
    sentAt: dateTime.optional(),
  })
  .strict()
  .openapi('Notice');

export const RepaymentRequestSchema = z
  .object({
    scope: z
      .enum(['next', 'overdue', 'payoff', 'amount'])
      .openapi({ description: 'next: the next unpaid installment; overdue: everything overdue; payoff: all that remains; amount: a partial payment' }),
    amount: MoneySchema.refine((m) => m.amount > 0, { message: 'must be positive', path: ['amount'] }).optional(),
    paymentMethodId: id.optional(),
  })
  .strict()
  .refine((r) => r.scope !== 'amount' || r.amount !== undefined, { message: 'required when scope is "amount"', path: ['amount'] })
  .refine((r) => r.scope === 'amount' || r.amount === undefined, { message: 'only allowed when scope is "amount"', path: ['amount'] })
  .openapi('RepaymentRequest');

export const DeferralRequestSchema = z
  .object({
    period: z.number().int().min(1).max(MAX_PERIODS),
    days: z.number().int().min(1).max(90).openapi({ description: 'Days to move the due date by (the plan policy caps it, 30 by default)' }),
  })
  .strict()
  .openapi('DeferralRequest');

const PayoffItemSchema = z
  .object({ period: z.number().int().min(1), principal: MoneySchema, fee: MoneySchema, lateFee: MoneySchema, waived: MoneySchema, total: MoneySchema })
  .strict()
  .openapi('PayoffItem');

export const PayoffQuoteSchema = z
  .object({
    asOf: date.openapi({ description: "Today in the plan's time zone" }),
    principal: MoneySchema,
    fee: MoneySchema,
    lateFee: MoneySchema,
    waived: MoneySchema,
    total: MoneySchema,
    items: z.array(PayoffItemSchema),
    charging: z
      .enum([...PAYOFF_FEE_POLICIES, 'interest_to_date'])
      .openapi({ description: "The plan's rule for fees not yet past: waive_future, charge_current_period, charge_all (flat); interest_to_date (annuity, equal_principal)" }),
    currentPeriod: count.nullable().openapi({ description: 'The period today belongs to (a due date belongs to the period it closes)' }),
  })
  .strict()
  .openapi('PayoffQuote');

export const CancellationSchema = z
  .object({
    plan: PlanSchema,
    refundable: z.array(z.object({ repaymentId: z.string(), amount: MoneySchema }).strict()),
    refundTotal: MoneySchema,
  })
  .strict()
  .openapi('Cancellation');
