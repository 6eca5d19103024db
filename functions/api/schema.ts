/**
 * Request and response schemas of the v1 API: one zod definition serves validation and the
 * OpenAPI document.
 */
import { z } from '@hono/zod-openapi';
import { isLocalDate } from '../../shared/domain/calendar.ts';
import { LOCALES, PAYMENT_METHOD_TYPES } from '../../shared/domain/customer.ts';
import { CURRENCIES, isValidRate, REMAINDER_PLACEMENTS } from '../../shared/domain/money.ts';
import { APR_METHODS } from '../../shared/domain/apr.ts';
import { PAYOFF_FEE_POLICIES } from '../../shared/domain/allocation.ts';
import { MAX_PERIODS } from '../../shared/domain/plan.ts';

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
const market = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 country code such as CN').openapi({ description: "The country whose currency the customer's plans are in; the phone number's country when absent", example: 'CN' });
const localDate = z.string().refine(isLocalDate, 'must be a calendar date YYYY-MM-DD').openapi({ example: '2026-01-31' });
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
    reminderDaysBefore: z.array(z.number()).optional(),
    market: z.string().optional(),
    createdAt: z.string(),
  })
  .openapi('Customer');

export const BindPaymentMethodSchema = z
  .object({
    type: z.enum(PAYMENT_METHOD_TYPES),
    token: z
      .string()
      .regex(/^(tok|pm)_[A-Za-z0-9_]{1,96}$/, 'must be a reference the provider issued, such as a Stripe PaymentMethod id (pm_…) — never a card number')
      .openapi({ description: 'A reference the provider issued to the client (Stripe.js PaymentMethod id; a simulated token locally); the provider verifies it', example: 'pm_card_visa' }),
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
  .object({ id: z.string(), type: z.enum(PAYMENT_METHOD_TYPES), display: z.string(), isDefault: z.boolean(), createdAt: z.string() })
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

const InstallmentViewSchema = z.object({
  period: z.number(),
  dueDate: z.string(),
  principal: MoneySchema,
  fee: MoneySchema,
  lateFee: MoneySchema,
  amountDue: MoneySchema,
  amountPaid: MoneySchema,
  status: z.string(),
  nextAttemptAt: z.string().optional(),
  lastFailureCode: z.string().optional(),
});

export const PlanSchema = z
  .object({
    planId: z.string(),
    customerId: z.string(),
    orderId: z.string(),
    productName: z.string(),
    status: z.string(),
    periods: z.number(),
    paidPeriods: z.number(),
    unpaidPeriods: z.number(),
    perPeriodAmount: MoneySchema,
    nextDueDate: z.string().nullable(),
    outstanding: MoneySchema,
    apr: z.string().openapi({ description: 'Annualised cost including all fees (IRR × 12)', example: '0.1597' }),
    installments: z.array(InstallmentViewSchema),
  })
  .passthrough()
  .openapi('Plan');

export const RepaymentSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['auto', 'manual']),
    periods: z.array(z.number()),
    amount: MoneySchema,
    paymentMethod: z.object({ id: z.string(), display: z.string() }),
    status: z.enum(['pending', 'succeeded', 'failed']),
    failureCode: z.string().optional(),
    createdAt: z.string(),
  })
  .openapi('Repayment');

export const NextActionSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('stripe_sdk'), clientSecret: z.string(), publishableKey: z.string().optional() }).openapi({ description: 'Stripe.js: handleNextAction / confirmCardSetup with this client secret' }),
    z.object({ type: z.literal('redirect'), url: z.string() }).openapi({ description: "Open the provider's page (signing, password, 3-D Secure)" }),
    z.object({ type: z.literal('qr_code'), payload: z.string() }).openapi({ description: 'Show as a QR code for the wallet app' }),
  ])
  .openapi('NextAction', { description: "What the customer does next, in the provider's own terms" });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    code: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const ListPlansQuerySchema = z.object({
  customerId: id.optional(),
  q: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

export const CustomerParams = z.object({ id });
export const PlanParams = z.object({ planId: id });
export const PaymentMethodParams = z.object({ id, pmId: id });
export const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(255).optional() });

export const NoticeSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    planId: z.string(),
    kind: z.enum(['reminder', 'repayment_succeeded', 'repayment_failed', 'overdue', 'plan_paid_off', 'deferral_confirmed', 'plan_defaulted', 'plan_cancelled']),
    channel: z.enum(['sms', 'email']),
    to: z.string().openapi({ description: 'Masked recipient' }),
    body: z.string(),
    status: z.enum(['scheduled', 'pending', 'sent', 'failed', 'suppressed']).openapi({ description: 'scheduled: an SMS held back by quiet hours until sendAt' }),
    reason: z.string().optional(),
    createdAt: z.string(),
    sendAt: z.string().optional(),
    sentAt: z.string().optional(),
  })
  .openapi('Notice');

export const RepaymentRequestSchema = z
  .object({
    scope: z.enum(['next', 'overdue', 'payoff', 'amount']).openapi({ description: 'next: the next unpaid installment; overdue: everything overdue; payoff: all that remains; amount: a partial payment' }),
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

export const PayoffQuoteSchema = z
  .object({
    asOf: z.string(),
    principal: MoneySchema,
    fee: MoneySchema,
    lateFee: MoneySchema,
    waived: MoneySchema,
    total: MoneySchema,
    items: z.array(z.object({ period: z.number(), principal: MoneySchema, fee: MoneySchema, lateFee: MoneySchema, waived: MoneySchema, total: MoneySchema })),
    charging: z.enum([...PAYOFF_FEE_POLICIES, 'interest_to_date']).openapi({ description: "The plan's rule for fees not yet past: waive_future, charge_current_period, charge_all (flat); interest_to_date (annuity, equal_principal)" }),
    currentPeriod: z.number().nullable().openapi({ description: 'The period today belongs to (a due date belongs to the period it closes)' }),
  })
  .openapi('PayoffQuote');

export const CancellationSchema = z
  .object({
    plan: PlanSchema,
    refundable: z.array(z.object({ repaymentId: z.string(), amount: MoneySchema })),
    refundTotal: MoneySchema,
  })
  .openapi('Cancellation');
