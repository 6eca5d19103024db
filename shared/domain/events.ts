/**
 * Billing events: past tense, versioned, validated with zod at both ends of the topic.
 * Each carries what a notice needs, so the notifier never reads the plan.
 */
import * as z from 'zod';

const MoneyJson = z.object({ amount: z.number().int(), currency: z.string().length(3) });

const envelope = {
  id: z.string().min(1),
  version: z.literal(1),
  occurredAt: z.string(),
  planId: z.string(),
  customerId: z.string(),
  productName: z.string(),
  timeZone: z.string(),
};

export const BillingEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...envelope,
    type: z.literal('InstallmentReminderDue'),
    period: z.number().int(),
    dueDate: z.string(),
    debitAt: z.string(),
    amount: MoneyJson,
    daysBefore: z.number().int(),
  }),
  z.object({
    ...envelope,
    type: z.literal('RepaymentSucceeded'),
    repaymentId: z.string(),
    periods: z.array(z.number().int()),
    amount: MoneyJson,
    periodsLeft: z.number().int(),
    nextDueDate: z.string().nullable(),
  }),
  z.object({
    ...envelope,
    type: z.literal('RepaymentFailed'),
    repaymentId: z.string(),
    period: z.number().int(),
    amount: MoneyJson,
    failureCode: z.string(),
    retryable: z.boolean(),
    nextAttemptAt: z.string().nullable(),
    /** False for a retry that failed with nothing new to tell (no notice); absent means true. */
    notify: z.boolean().optional(),
  }),
  z.object({
    ...envelope,
    type: z.literal('InstallmentOverdue'),
    period: z.number().int(),
    amountDue: MoneyJson,
    daysOverdue: z.number().int(),
  }),
  z.object({ ...envelope, type: z.literal('PlanPaidOff'), totalPaid: MoneyJson }),
  z.object({
    ...envelope,
    type: z.literal('InstallmentDeferred'),
    period: z.number().int(),
    newDueDate: z.string(),
  }),
  z.object({
    ...envelope,
    type: z.literal('PlanDefaulted'),
    /** Everything left, due at once (acceleration); absent on events published before it. */
    amountDue: MoneyJson.optional(),
  }),
  z.object({ ...envelope, type: z.literal('PlanCancelled'), refundTotal: MoneyJson }),
  /**
   * Support answered a customer's case (a reply, or an extension request declined with its
   * reason). `planId` and `productName` are empty for a case about no plan.
   */
  z.object({
    ...envelope,
    type: z.literal('SupportCaseReplied'),
    caseId: z.string(),
    messageId: z.string(),
    decision: z.literal('declined').optional(),
  }),
]);

export type BillingEvent = z.infer<typeof BillingEventSchema>;
export type BillingEventType = BillingEvent['type'];
