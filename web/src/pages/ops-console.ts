/**
 * The operations console (admin role): today's agenda by hour, the last 30 days (collections,
 * failure rate, overdue and defaulted, decline reasons, roll rates) and the dead-letter queues
 * with their redrive, and the way to the operators' lists. Every number comes from `/v1/ops/...`.
 */
import { client, read } from '../api.ts';
import type { components } from '../api-types.ts';
import { h, replace } from '../dom.ts';
import { declineText, fmt, type MessageKey, t } from '../i18n.ts';
import type { PageContext } from '../router.ts';
import { session } from '../session.ts';
import { main } from '../shell.ts';
import { busy, definition, errorBox, errorSlot, field, loading, pageHeader, toast } from '../ui.ts';
import { chart } from './ops-charts.ts';

type DeadLetterQueue = components['schemas']['DeadLetterQueue'];

const QUEUE_LABELS = {
  repaymentAttempts: 'ops.console.queueAttempts',
  notices: 'ops.console.queueNotices',
  emails: 'ops.console.queueEmails',
  emailFeedback: 'ops.console.queueEmailFeedback',
} as const satisfies Record<DeadLetterQueue['queue'], MessageKey>;

const COLORS = { due: '#8c8c8c', attempted: '#1677ff', paid: '#52c41a', failed: '#f5222d', pending: '#faad14', rate: '#722ed1', overdue: '#fa8c16', defaulted: '#a8071a' };

const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);

export async function opsConsolePage({ query, signal }: PageContext): Promise<void> {
  if (!session.identity?.admin) {
    replace(main(), pageHeader(t('ops.console.title')), h('p', { class: 'alert alert--warning', role: 'alert' }, t('ops.notAdmin')));
    return;
  }
  const agenda = h('section', { class: 'card', id: 'ops-agenda', 'aria-labelledby': 'agenda-title' }, loading());
  const days = h('section', { class: 'card', id: 'ops-days', 'aria-labelledby': 'days-title' }, loading());
  const letters = h('section', { class: 'card', id: 'ops-dead-letters', 'aria-labelledby': 'dlq-title' }, loading());
  const lists = h('p', null, h('a', { href: '/ops/lists', 'data-route': true, class: 'btn', id: 'open-lists' }, t('ops.lists.open')));
  replace(main(), pageHeader(t('ops.console.title'), { href: '/ops' }), lists, agenda, days, letters);
  await Promise.all([renderAgenda(agenda, query.get('date') ?? undefined, signal), renderDays(days, signal), renderDeadLetters(letters, signal)]);
}

async function renderAgenda(panel: HTMLElement, date: string | undefined, signal: AbortSignal): Promise<void> {
  try {
    const day = await read(client.GET('/v1/ops/agenda', { params: { query: date ? { date } : {} }, signal }));
    const picker = h('input', { type: 'date', id: 'agenda-date', value: day.date });
    picker.addEventListener('change', () => {
      if (picker.value) void renderAgenda(panel, picker.value, signal);
    });
    const { totals } = day;
    const busyHours = day.hours.filter((x) => x.due + x.reminded + x.attempted + x.paid + x.failed + x.pending > 0);
    replace(
      panel,
      h('h2', { id: 'agenda-title', class: 'section-title' }, t('ops.console.agenda', { date: fmt.date(day.date) })),
      field(t('ops.console.date'), picker, t('ops.console.timeZone', { zone: day.timeZone })),
      definition([
        [t('ops.console.due'), String(totals.due)],
        [t('ops.console.reminded'), String(totals.reminded)],
        [t('ops.console.attempted'), String(totals.attempted)],
        [t('ops.console.paid'), String(totals.paid)],
        [t('ops.console.failed'), String(totals.failed)],
        [t('ops.console.pending'), String(totals.pending)],
        [t('ops.console.collected'), totals.collected.length ? fmt.list(totals.collected.map((m) => fmt.money(m))) : '–'],
      ]),
      chart(
        'chart-agenda',
        t('ops.console.byHour'),
        day.hours.map((x) => String(x.hour).padStart(2, '0')),
        (['attempted', 'paid', 'failed', 'pending'] as const).map((k) => ({
          label: t(`ops.console.${k}`),
          values: day.hours.map((x) => x[k]),
          color: COLORS[k],
          bars: k === 'attempted',
        })),
      ),
      busyHours.length
        ? h(
            'table',
            { class: 'ops-table', id: 'agenda-hours' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                [
                  t('ops.console.hour'),
                  t('ops.console.due'),
                  t('ops.console.reminded'),
                  t('ops.console.attempted'),
                  t('ops.console.paid'),
                  t('ops.console.failed'),
                  t('ops.console.pending'),
                ].map((text) => h('th', { scope: 'col' }, text)),
              ),
            ),
            h(
              'tbody',
              null,
              busyHours.map((x) =>
                h(
                  'tr',
                  { 'data-hour': x.hour },
                  h('th', { scope: 'row' }, `${String(x.hour).padStart(2, '0')}:00`),
                  [x.due, x.reminded, x.attempted, x.paid, x.failed, x.pending].map((n) => h('td', null, String(n))),
                ),
              ),
            ),
          )
        : h('p', { class: 'empty' }, t('ops.console.quiet')),
    );
  } catch (err) {
    if (!signal.aborted)
      replace(
        panel,
        errorBox(err, () => void renderAgenda(panel, date, signal)),
      );
  }
}

async function renderDays(panel: HTMLElement, signal: AbortSignal): Promise<void> {
  try {
    const m = await read(client.GET('/v1/ops/metrics/daily', { signal }));
    const labels = m.days.map((d) => d.date.slice(5));
    const currencies = [...new Set(m.days.flatMap((d) => d.collected.map((c) => c.currency)))].sort();
    const reasons = m.declineReasons;
    replace(
      panel,
      h('h2', { id: 'days-title', class: 'section-title' }, t('ops.console.days', { from: fmt.date(m.from), to: fmt.date(m.to) })),
      chart('chart-collections', t('ops.console.collections'), labels, [
        // Minor units shown as major ones per currency: one bar series each, the failure rate on its own axis.
        ...currencies.map((currency, i) => ({
          label: `${t('ops.console.collected')} (${currency})`,
          values: m.days.map((d) => (d.collected.find((c) => c.currency === currency)?.amount ?? 0) / (currency === 'JPY' ? 1 : 100)),
          color: i === 0 ? COLORS.paid : COLORS.attempted,
          bars: true,
        })),
        { label: t('ops.console.failureRate'), values: m.days.map((d) => d.failureRate), color: COLORS.rate, rate: true },
      ]),
      chart('chart-overdue', t('ops.console.overdueDefaulted'), labels, [
        { label: t('ops.console.overdue'), values: m.days.map((d) => d.overdue), color: COLORS.overdue },
        { label: t('ops.console.defaulted'), values: m.days.map((d) => d.defaulted), color: COLORS.defaulted },
      ]),
      h('h3', { class: 'section-title' }, t('ops.console.rollRates')),
      definition([
        [t('ops.console.currentToOverdue'), percent(m.rollRates.currentToOverdue)],
        [t('ops.console.overdueToDefaulted'), percent(m.rollRates.overdueToDefaulted)],
      ]),
      reasons.length
        ? chart(
            'chart-declines',
            t('ops.console.declines'),
            reasons.map((r) => declineText(r.code)),
            [{ label: t('ops.console.count'), values: reasons.map((r) => r.count), color: COLORS.failed, bars: true }],
          )
        : h('p', { class: 'empty' }, t('ops.console.noDeclines')),
    );
  } catch (err) {
    if (!signal.aborted)
      replace(
        panel,
        errorBox(err, () => void renderDays(panel, signal)),
      );
  }
}

async function renderDeadLetters(panel: HTMLElement, signal: AbortSignal): Promise<void> {
  try {
    const { items } = await read(client.GET('/v1/ops/dead-letters', { signal }));
    const errors = errorSlot();
    replace(
      panel,
      h('h2', { id: 'dlq-title', class: 'section-title' }, t('ops.console.deadLetters')),
      errors.el,
      h(
        'ul',
        { class: 'ops-queues' },
        items.map((q) => {
          const redrive = h('button', { type: 'button', class: 'btn', disabled: q.depth === 0 }, t('ops.console.redrive'));
          redrive.addEventListener(
            'click',
            () =>
              void busy(redrive, t('common.loading'), async () => {
                errors.clear();
                try {
                  const result = await read(client.POST('/v1/ops/dead-letters/{queue}/redrive', { params: { path: { queue: q.queue } } }));
                  toast(result.mode === 'moved' ? t('ops.console.redriven', { count: result.moved ?? 0 }) : t('ops.console.redriveStarted'));
                  await renderDeadLetters(panel, signal);
                } catch (err) {
                  errors.show(err);
                }
              }),
          );
          return h(
            'li',
            { class: 'ops-queue', 'data-queue': q.queue },
            h('span', { class: 'ops-queue__name' }, t(QUEUE_LABELS[q.queue])),
            h('span', { class: 'ops-queue__depth', 'data-depth': q.depth }, t('ops.console.depth', { count: q.depth })),
            q.redrive ? h('span', { class: 'hint' }, t('ops.console.moving', { moved: q.redrive.moved })) : null,
            redrive,
          );
        }),
      ),
    );
  } catch (err) {
    if (!signal.aborted)
      replace(
        panel,
        errorBox(err, () => void renderDeadLetters(panel, signal)),
      );
  }
}
