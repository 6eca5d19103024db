/**
 * The repayment policy: dunning, grace, late fees, reminders. The policy in force when a plan
 * is created is frozen into it, so changing the configuration later affects new plans only.
 */
import * as z from 'zod';
import { PAYOFF_FEE_POLICIES, type PayoffFeePolicy } from './allocation.ts';
import { APR_METHODS } from './apr.ts';
import { isLocalTime, isTimeZone } from './calendar.ts';
import { isValidRate, REMAINDER_PLACEMENTS } from './money.ts';

const rate = z.string().refine(isValidRate, { message: 'must be a decimal string such as "0.0005"' });
const localTime = z.string().refine(isLocalTime, { message: 'must be HH:MM' });
const days = (max: number) => z.array(z.number().int().min(1).max(max)).max(10);

export const PolicySchema = z
  .object({
    /** Local time of the auto-debit on the due date. */
    debitTime: localTime.default('09:00'),
    /** Local time of reminders. */
    reminderTime: localTime.default('10:00'),
    /** Days before the due date on which a reminder goes out. */
    reminderDaysBefore: days(30).default([3, 1]),
    /** Days after the due date on which a retryable decline is tried again. */
    retryOffsetsDays: days(60).default([1, 3, 5]),
    /** While overdue, retryable failures are tried again this often. */
    overdueRetryDays: z.number().int().min(1).max(60).default(7),
    graceDays: z.number().int().min(0).max(60).default(3),
    lateFeeDailyRate: rate.default('0.0005'),
    /** Total late fee of an installment ≤ this share of the installment. */
    lateFeeCap: rate.default('0.1'),
    /** Late fees never push the annualised cost of the overdue amount above this. */
    aprCap: rate.default('0.24'),
    overdueNoticeDays: days(90).default([1, 3, 7]),
    defaultAfterDays: z.number().int().min(1).max(365).default(90),
    maxDeferralDays: z.number().int().min(1).max(90).default(30),
    maxDeferralsPerPlan: z.number().int().min(0).max(12).default(1),
    /** Whether an installment past its due date (in grace: declined, not yet overdue) may still be deferred. */
    deferInGrace: z.boolean().default(false),
    waiveFeesOnPayoff: z.boolean().default(true),
    /**
     * What paying a `flat` plan off early charges of the fees not yet due: `waive_future` (none
     * of the current period's and later ones), `charge_current_period` (the current period's),
     * `charge_all` (every remaining fee). Absent: `waiveFeesOnPayoff` decides (see allocation.ts).
     */
    payoffFees: z.enum(PAYOFF_FEE_POLICIES).optional(),
    /** How `apr` is disclosed: US Reg Z Appendix J (nominal, month unit period) or the EU APRC. */
    aprMethod: z.enum(APR_METHODS).default('us_reg_z'),
    /** Which periods take the remainder of splitting principal and a flat fee evenly. */
    remainderTo: z.enum(REMAINDER_PLACEMENTS).default('first_periods'),
    /** A plan whose own APR (all fees included, see apr.ts) is above this is refused at intake. */
    maxApr: rate.default('0.24'),
    /**
     * The purchase date must lie between `daysBack` days before and `daysAhead` days after
     * today in the customer's time zone (a back-dated purchase would fall due at once).
     */
    purchaseDateWindow: z
      .object({ daysBack: z.number().int().min(0).max(366), daysAhead: z.number().int().min(0).max(31) })
      .strict()
      .default({ daysBack: 30, daysAhead: 1 }),
    /** The zone whose local days reconciliation compares (the deployment's, not a customer's). */
    reconciliationTimeZone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as "Asia/Shanghai"' }).default('Asia/Shanghai'),
  })
  .strict();

export type Policy = z.infer<typeof PolicySchema>;

export const DEFAULT_POLICY: Policy = PolicySchema.parse({});

/** The early-payoff fee policy a plan froze; plans frozen before `payoffFees` go by `waiveFeesOnPayoff`. */
export function payoffFeePolicy(policy: Pick<Policy, 'waiveFeesOnPayoff'> & { payoffFees?: PayoffFeePolicy | undefined }): PayoffFeePolicy {
  return policy.payoffFees ?? (policy.waiveFeesOnPayoff === false ? 'charge_all' : 'waive_future');
}
