/**
 * send-notices — input: a billing event; sends the notice it calls for on each channel the
 * customer allows, at most once per event and channel, and logs it as sent, failed or
 * suppressed. A bad recipient fails that notice only.
 */
import { maskEmail, maskPhone, type Customer } from '../domain/customer.ts';
import type { BillingEvent } from '../domain/events.ts';
import { noticeKindOf, renderNotice, type NoticeChannel, type NoticeRecord } from '../domain/notices.ts';
import type { Deps } from './deps.ts';

type NoticeDeps = Pick<Deps, 'customers' | 'notices' | 'sender' | 'clock' | 'logger' | 'settings'>;

export async function sendNotices(deps: NoticeDeps, event: BillingEvent): Promise<NoticeRecord[]> {
  const kind = noticeKindOf(event);
  if (!kind) return [];
  const customer = await deps.customers.get(event.customerId);
  if (!customer) {
    deps.logger.warn('notice for an unknown customer dropped', { eventId: event.id, customerId: event.customerId });
    return [];
  }
  const channels: NoticeChannel[] = [];
  if (customer.notifications.sms) channels.push('sms');
  if (customer.notifications.email && customer.email) channels.push('email');

  const results: NoticeRecord[] = [];
  for (const channel of channels) {
    const record = await sendOne(deps, event, customer, channel, kind);
    if (record) results.push(record);
  }
  return results;
}

async function sendOne(
  deps: NoticeDeps,
  event: BillingEvent,
  customer: Customer,
  channel: NoticeChannel,
  kind: NonNullable<ReturnType<typeof noticeKindOf>>,
): Promise<NoticeRecord | undefined> {
  const now = deps.clock.now();
  const text = renderNotice(event, customer.locale);
  const body = channel === 'sms' ? `${deps.settings.smsSignature}${text.body}` : text.body;
  const pending: NoticeRecord = {
    dedupeKey: `${event.id}:${channel}`,
    customerId: customer.customerId,
    planId: event.planId,
    kind,
    channel,
    to: channel === 'sms' ? maskPhone(customer.phone) : maskEmail(customer.email ?? ''),
    body,
    status: 'pending',
    createdAt: now.toISOString(),
  };
  // Claiming the dedupe key first makes a notice at-most-once under any redelivery.
  if (!(await deps.notices.claim(pending))) return undefined;

  if (event.type === 'InstallmentReminderDue' && now >= new Date(event.debitAt)) {
    return finish(deps, { ...pending, status: 'suppressed', reason: 'stale: the debit time has passed' });
  }
  const result =
    channel === 'sms' ? await deps.sender.sendSms(customer.phone, body) : await deps.sender.sendEmail(customer.email!, text.subject, body);
  return finish(
    deps,
    result.ok ? { ...pending, status: 'sent', sentAt: now.toISOString() } : { ...pending, status: 'failed', reason: result.reason },
  );
}

async function finish(deps: NoticeDeps, record: NoticeRecord): Promise<NoticeRecord> {
  await deps.notices.save(record);
  deps.logger.info('notice', { dedupeKey: record.dedupeKey, channel: record.channel, to: record.to, status: record.status, reason: record.reason });
  return record;
}
