/**
 * send-notices — input: a billing event; sends the notice it calls for on each channel the
 * customer allows, at most once per event and channel, and logs it as sent, failed or
 * suppressed. Primary course: render the text in the customer's language → claim the dedupe
 * key → check the rules (stale reminder, valid number, daily SMS limit) → send → record the
 * outcome. An SMS due in the customer's quiet hours is stored as `scheduled` on the agenda
 * instead, and sent by send-deferred-notice when the sweep hands it back.
 *
 * send-deferred-notice — input: a deferred notice the sweep claimed; sends it under the same
 * rules, checked again at sending time.
 *
 * Faults: a bad recipient fails that notice only (a value, not an exception); a provider or
 * database fault releases the notice and is thrown, so the message is retried and the retry
 * may send it. A notifier that stopped mid-send leaves its lock: the notice is then marked
 * failed as "outcome unknown" rather than sent a second time.
 */
import { localDateOf } from '../domain/calendar.ts';
import { type Customer, emailSuppressionOf, isSendablePhone, maskEmail, maskPhone } from '../domain/customer.ts';
import { NOTICE_REASON } from '../domain/customer-text.ts';
import type { BillingEvent } from '../domain/events.ts';
import {
  composeSms,
  DEFAULT_NOTICE_SETTINGS,
  type NoticeChannel,
  type NoticeKind,
  type NoticeRecord,
  type NoticeSettings,
  noticeKey,
  noticeKindOf,
  quietHoursEnd,
  renderNotice,
  SMS_LIMITED_KINDS,
  smsSignatureFor,
} from '../domain/notices.ts';
import type { DeferredNoticeMessage } from '../ports/notice-queue.port.ts';
import type { StoredNotice } from '../ports/notice-repository.port.ts';
import type { Deps } from './deps.ts';
import { phoneRules } from './phone-rules.ts';
import { CLAIM_LEASE_MS } from './sweep-agenda.ts';

/** How long a notifier holds a notice while sending it: longer than a send, shorter than the queue's visibility timeout. */
export const SEND_LEASE_MS = 60_000;

type NoticeDeps = Pick<Deps, 'customers' | 'notices' | 'sender' | 'clock' | 'logger' | 'settings'>;

export async function sendNotices(deps: NoticeDeps, event: BillingEvent, settings: NoticeSettings = DEFAULT_NOTICE_SETTINGS): Promise<NoticeRecord[]> {
  const kind = noticeKindOf(event);
  if (!kind) return [];
  const customer = await deps.customers.get(event.customerId);
  if (!customer) {
    deps.logger.warn('notice for an unknown customer dropped', { eventId: event.id, customerId: event.customerId });
    return [];
  }
  const channels: NoticeChannel[] = [];
  if (customer.notifications.sms) channels.push('sms');
  if (customer.notifications.email) channels.push('email');

  // Every channel gets its chance; a fault on one is thrown once the others are done.
  const results: NoticeRecord[] = [];
  const faults: unknown[] = [];
  for (const channel of channels) {
    try {
      const record = await sendNew(deps, event, customer, channel, kind, settings);
      if (record) results.push(record);
    } catch (err) {
      faults.push(err);
    }
  }
  if (faults.length > 0) throw faults[0];
  return results;
}

export async function sendDeferredNotice(deps: NoticeDeps, message: DeferredNoticeMessage, settings: NoticeSettings = DEFAULT_NOTICE_SETTINGS): Promise<NoticeRecord | undefined> {
  const notice = await deps.notices.lockScheduled(message.deferredNotice, message.claim, lease(deps));
  if (!notice) {
    // A duplicate, or a message whose claim has moved on: the notice is someone else's or done.
    deps.logger.debug('deferred notice already handled', { dedupeKey: message.deferredNotice });
    return undefined;
  }
  // Only SMS are ever deferred, so no email subject is needed here.
  return deliver(deps, notice, settings, { subject: '', claim: message.claim });
}

async function sendNew(
  deps: NoticeDeps,
  event: BillingEvent,
  customer: Customer,
  channel: NoticeChannel,
  kind: NoticeKind,
  settings: NoticeSettings,
): Promise<NoticeRecord | undefined> {
  const now = deps.clock.now();
  const text = renderNotice(event, customer.locale);
  const record: StoredNotice = {
    dedupeKey: noticeKey(event, channel),
    customerId: customer.customerId,
    planId: event.planId,
    kind,
    channel,
    to: recipientMask(customer, channel),
    body: channel === 'sms' ? composeSms(event, customer.locale, smsSignatureFor(deps.settings.smsSignature, customer.phone)) : text.body,
    status: 'pending',
    createdAt: now.toISOString(),
    ...(event.type === 'InstallmentReminderDue' ? { staleAfter: event.debitAt } : {}),
  };

  const sendable = channel === 'sms' && isSendablePhone(customer.phone, await phoneRules());
  // An SMS due in quiet hours waits on the agenda (a bad number or a stale reminder is settled now).
  const quietUntil = sendable && !isStale(record, now) ? quietHoursEnd(now, customer.timeZone, settings.quietHours) : undefined;
  if (quietUntil) {
    const scheduled = { ...record, status: 'scheduled' as const, sendAt: quietUntil.toISOString() };
    if (!(await deps.notices.schedule(scheduled))) return undefined;
    log(deps, scheduled, NOTICE_REASON.quiet_hours);
    return publicView(scheduled);
  }

  // An SMS that will be sent now (every rule but the day's limit is settled by what is known
  // already) is claimed and counted in one write; the others are claimed, then checked.
  if (sendable && customer.notifications.sms && !isStale(record, now)) {
    const sms = { phone: customer.phone, date: localDateOf(now, customer.timeZone), ...(SMS_LIMITED_KINDS.has(kind) ? { limit: settings.maxSmsPerDay } : {}) };
    const claimed = await deps.notices.claimCountingSms(record, lease(deps), sms);
    if (claimed === 'exists') return resume(deps, record.dedupeKey, text.subject, settings);
    if (claimed === 'claimed') return deliver(deps, record, settings, { subject: text.subject, customer, counted: sms });
    // Over the day's limit: recorded as suppressed by the ordinary path below.
  }
  if (!(await deps.notices.claim(record, lease(deps)))) return resume(deps, record.dedupeKey, text.subject, settings);
  return deliver(deps, record, settings, { subject: text.subject, customer });
}

/**
 * The dedupe key was taken already: a duplicate (nothing to do), a retry after a fault that
 * released the notice (send it now), or a notifier that stopped mid-send (never resend).
 */
async function resume(deps: NoticeDeps, dedupeKey: string, subject: string, settings: NoticeSettings): Promise<NoticeRecord | undefined> {
  const existing = await deps.notices.get(dedupeKey);
  if (existing?.status !== 'pending') return undefined;
  if (existing.lockUntil === undefined) {
    const taken = await deps.notices.retake(dedupeKey, lease(deps));
    return taken ? deliver(deps, taken, settings, { subject }) : undefined;
  }
  const now = deps.clock.now();
  if (new Date(existing.lockUntil) > now) return undefined;
  const reason = `${NOTICE_REASON.unknown_outcome}: the sender stopped while sending; not sent again, so that it is never sent twice`;
  if (await deps.notices.abandon(dedupeKey, now, reason)) log(deps, { ...existing, status: 'failed', reason });
  return undefined;
}

type Attempt = { outcome: NoticeRecord } | { rescheduled: NoticeRecord };

/** Checks the rules and sends a notice this notifier holds the lock of; records the outcome. */
async function deliver(
  deps: NoticeDeps,
  notice: StoredNotice,
  settings: NoticeSettings,
  context: { subject: string; customer?: Customer; claim?: string; counted?: { phone: string; date: string } },
): Promise<NoticeRecord> {
  const counted: { phone?: string; date?: string } = { ...context.counted };
  let attempt: Attempt;
  try {
    attempt = await tryToSend(deps, notice, settings, context, counted);
  } catch (err) {
    // Nothing was sent: let the retry of this message (or, for a deferred one, the agenda) send it.
    const reason = `${NOTICE_REASON.retrying}: ${err instanceof Error ? err.name : 'error'}`;
    if (counted.phone && counted.date) await deps.notices.uncountSms(counted.phone, counted.date, notice.dedupeKey).catch(() => undefined);
    if (context.claim) await deps.notices.reschedule(notice.dedupeKey, new Date(deps.clock.now().getTime() + CLAIM_LEASE_MS), reason, context.claim);
    else await deps.notices.release(notice.dedupeKey, reason);
    throw err;
  }
  if ('rescheduled' in attempt) return attempt.rescheduled;
  return finish(deps, attempt.outcome);
}

async function tryToSend(
  deps: NoticeDeps,
  notice: StoredNotice,
  settings: NoticeSettings,
  context: { subject: string; customer?: Customer; claim?: string; counted?: { phone: string; date: string } },
  counted: { phone?: string; date?: string },
): Promise<Attempt> {
  const base = publicView(notice);
  const now = deps.clock.now();
  const suppressed = (reason: string): Attempt => ({ outcome: { ...base, status: 'suppressed', reason } });
  const failed = (reason: string): Attempt => ({ outcome: { ...base, status: 'failed', reason } });

  if (isStale(notice, now)) return suppressed(NOTICE_REASON.stale);
  const customer = context.customer ?? (await deps.customers.get(notice.customerId));
  if (!customer) return failed(NOTICE_REASON.no_customer);
  base.to = recipientMask(customer, notice.channel);

  if (notice.channel === 'email') {
    if (!customer.notifications.email) return suppressed(NOTICE_REASON.email_off);
    if (!customer.email) return failed(NOTICE_REASON.no_email);
    const suppression = emailSuppressionOf(customer);
    if (suppression) return suppressed(NOTICE_REASON[suppression]);
    const result = await deps.sender.sendEmail(customer.email, context.subject, base.body, { customerId: customer.customerId, noticeKey: notice.dedupeKey });
    return { outcome: result.ok ? { ...base, status: 'sent', sentAt: now.toISOString() } : { ...base, status: 'failed', reason: result.reason } };
  }

  if (!customer.notifications.sms) return suppressed(NOTICE_REASON.sms_off);
  if (!isSendablePhone(customer.phone, await phoneRules())) return failed(`${NOTICE_REASON.invalid_phone} ${maskPhone(customer.phone)}: not a valid E.164 number`);
  const quietUntil = quietHoursEnd(now, customer.timeZone, settings.quietHours);
  if (quietUntil) {
    // Reached the sender inside quiet hours after all (a late retry): back on the agenda, uncounted.
    if (counted.phone && counted.date) {
      await deps.notices.uncountSms(counted.phone, counted.date, notice.dedupeKey);
      delete counted.phone;
    }
    await deps.notices.reschedule(notice.dedupeKey, quietUntil, NOTICE_REASON.quiet_hours, undefined);
    const rescheduled: NoticeRecord = { ...base, status: 'scheduled', sendAt: quietUntil.toISOString(), reason: NOTICE_REASON.quiet_hours };
    log(deps, rescheduled, NOTICE_REASON.quiet_hours);
    return { rescheduled };
  }
  // Counted already when it was claimed (sendNew), or now.
  const date = context.counted?.date ?? localDateOf(now, customer.timeZone);
  if (!context.counted) {
    const limit = SMS_LIMITED_KINDS.has(notice.kind) ? settings.maxSmsPerDay : undefined;
    if (!(await deps.notices.countSms(customer.phone, date, notice.dedupeKey, limit))) {
      return suppressed(`${NOTICE_REASON.daily_limit}: at most ${settings.maxSmsPerDay} SMS per number per day`);
    }
    Object.assign(counted, { phone: customer.phone, date });
  }
  const result = await deps.sender.sendSms(customer.phone, base.body);
  if (!result.ok) {
    await deps.notices.uncountSms(customer.phone, date, notice.dedupeKey);
    delete counted.phone;
    return failed(result.reason);
  }
  return { outcome: { ...base, status: 'sent', sentAt: now.toISOString() } };
}

async function finish(deps: NoticeDeps, record: NoticeRecord): Promise<NoticeRecord> {
  await deps.notices.save(record);
  log(deps, record);
  return record;
}

function log(deps: NoticeDeps, record: NoticeRecord, message = 'notice'): void {
  deps.logger.info(message, {
    dedupeKey: record.dedupeKey,
    kind: record.kind,
    channel: record.channel,
    to: record.to,
    status: record.status,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.sendAt ? { sendAt: record.sendAt } : {}),
  });
}

function lease(deps: Pick<NoticeDeps, 'clock'>): Date {
  return new Date(deps.clock.now().getTime() + SEND_LEASE_MS);
}

function isStale(notice: { staleAfter?: string }, now: Date): boolean {
  return notice.staleAfter !== undefined && now >= new Date(notice.staleAfter);
}

function recipientMask(customer: Customer, channel: NoticeChannel): string {
  return channel === 'sms' ? maskPhone(customer.phone) : maskEmail(customer.email ?? '');
}

/** The record without the bookkeeping of the lock and the agenda. */
function publicView(notice: StoredNotice): NoticeRecord {
  const { lockUntil: _l, claim: _c, staleAfter: _s, ...record } = notice;
  return record;
}
