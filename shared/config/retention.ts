/**
 * How long each kind of record is kept before DynamoDB's TTL deletes it, in days. Set at write
 * time from `RETENTION_DAYS` (JSON, any subset of the fields); defaults:
 *
 * - `notices` 400: what was sent to a customer, kept past a year of complaints and disputes.
 * - `idempotency` 7: an `Idempotency-Key` is replayed for a week, longer than any client retries.
 * - `webhookEvents` 90: a provider's event ids, so a redelivery within a quarter is recognised.
 * - `closedPlans` 3650: a paid-off or cancelled plan, its installments and repayment records are
 *   financial records (kept ten years after the plan closed, as accounting rules ask).
 *
 * Records with their own short life (the SMS day counter, a binding in progress) keep theirs.
 */
import * as z from 'zod';

const days = (fallback: number) => z.number().int().min(1).max(36_500).default(fallback);

export const RetentionSchema = z
  .object({
    notices: days(400),
    idempotency: days(7),
    webhookEvents: days(90),
    closedPlans: days(3650),
  })
  .strict();

export type Retention = z.output<typeof RetentionSchema>;

export const DEFAULT_RETENTION: Retention = RetentionSchema.parse({});

const DAY_SECONDS = 86_400;

/** The TTL attribute's value (epoch seconds) for a record written or closed at `from`. */
export function expiresAt(from: Date | string, retentionDays: number): number {
  const ms = typeof from === 'string' ? Date.parse(from) : from.getTime();
  if (Number.isNaN(ms)) throw new Error(`expiresAt: not an instant: ${String(from)}`);
  return Math.floor(ms / 1000) + retentionDays * DAY_SECONDS;
}
