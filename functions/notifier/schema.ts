import * as z from 'zod';
import { BillingEventSchema } from '../../shared/domain/events.ts';

/** A deferred notice handed back by the sweep (see shared/ports/notice-queue.port.ts). */
export const DeferredNoticeMessageSchema = z.object({ deferredNotice: z.string().min(1), claim: z.string().min(1) }).strict();

/** What the notices queue carries: billing events (raw SNS delivery) and deferred notices. */
export const NoticeMessageSchema = z.union([BillingEventSchema, DeferredNoticeMessageSchema]);
