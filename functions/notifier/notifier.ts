import type { Deps } from '../../shared/application/deps.ts';
import { sendDeferredNotice, sendNotices } from '../../shared/application/send-notices.ts';
import { DEFAULT_NOTICE_SETTINGS, type NoticeSettings } from '../../shared/domain/notices.ts';
import { withSqs } from '../_wrappers/with-sqs.ts';
import { NoticeMessageSchema } from './schema.ts';

/**
 * Consumes the notices queue: billing events (raw SNS delivery) become notices; deferred
 * notices handed back by the sweep are sent. A malformed message fails alone and, after the
 * queue's `maxReceiveCount`, lands in the dead-letter queue.
 */
export type NotifierDeps = Pick<Deps, 'customers' | 'notices' | 'sender' | 'clock' | 'logger' | 'metrics' | 'settings'>;

export function createNotifier(deps: NotifierDeps, settings: NoticeSettings = DEFAULT_NOTICE_SETTINGS) {
  return withSqs({ schema: NoticeMessageSchema, logger: deps.logger, name: 'notice' }, async (message, _record, logger) => {
    const scoped = { ...deps, logger };
    const sent = 'deferredNotice' in message ? [await sendDeferredNotice(scoped, message, settings)] : await sendNotices(scoped, message, settings);
    deps.metrics.count('NoticesSent', sent.filter((n) => n?.status === 'sent').length);
    return sent;
  });
}
