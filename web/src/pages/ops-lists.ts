/**
 * The operators' lists (admin role): failed repayment attempts, overdue and defaulted plans,
 * notices that failed or were suppressed, and a day's reconciliation differences. Each shows a
 * page and grows with "Load more": the API's cursor for the first four, the report's list (held
 * whole) for the differences.
 */
import { client, read } from '../api.ts';
import type { components } from '../api-types.ts';
import { h, replace } from '../dom.ts';
import { declineText, fmt, label, type MessageKey, t } from '../i18n.ts';
import { type Page, paged } from '../paging.ts';
import type { PageContext } from '../router.ts';
import { session } from '../session.ts';
import { main } from '../shell.ts';
import { busy, errorBox, errorSlot, field, loading, pageHeader } from '../ui.ts';

type FailedAttempt = components['schemas']['FailedAttempt'];
type PlanItem = components['schemas']['PlanSummary'];
type Notice = components['schemas']['Notice'];
type Difference = components['schemas']['ReconciliationDifference'];

export const OPS_LISTS = ['failed-attempts', 'overdue', 'defaulted', 'notices-failed', 'notices-suppressed', 'reconciliation'] as const;
type OpsList = (typeof OPS_LISTS)[number];

const LIST_LABELS = {
  'failed-attempts': 'ops.lists.failedAttempts',
  overdue: 'ops.lists.overdue',
  defaulted: 'ops.lists.defaulted',
  'notices-failed': 'ops.lists.noticesFailed',
  'notices-suppressed': 'ops.lists.noticesSuppressed',
  reconciliation: 'ops.lists.reconciliation',
} as const satisfies Record<OpsList, MessageKey>;

/** Rows a page by default; `?limit=` (1–100) asks for another size. */
const PAGE = 20;
/** Instants show on the operators' own clock. */
const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export async function opsListsPage({ query, signal }: PageContext): Promise<void> {
  if (!session.identity?.admin) {
    replace(main(), pageHeader(t('ops.lists.title')), h('p', { class: 'alert alert--warning', role: 'alert' }, t('ops.notAdmin')));
    return;
  }
  const asked = query.get('list');
  const list: OpsList = OPS_LISTS.find((l) => l === asked) ?? 'failed-attempts';
  const askedSize = Number(query.get('limit'));
  const size = Number.isInteger(askedSize) && askedSize >= 1 && askedSize <= 100 ? askedSize : PAGE;
  const select = h('select', { id: 'ops-list-select' }, ...OPS_LISTS.map((l) => h('option', { value: l, selected: l === list }, t(LIST_LABELS[l]))));
  const date = h('input', { type: 'date', id: 'ops-list-date', value: query.get('date') ?? '' });
  const dateField = field(t('ops.lists.date'), date, t('ops.lists.dateHint'));
  dateField.hidden = list !== 'reconciliation';
  const panel = h('section', { class: 'card ops-lists', id: 'ops-list', 'aria-live': 'polite' }, loading());
  replace(main(), pageHeader(t('ops.lists.title'), { href: '/ops/console' }), h('div', { class: 'card ops-lists' }, field(t('ops.lists.show'), select), dateField), panel);

  const show = () => {
    const chosen = select.value as OpsList;
    dateField.hidden = chosen !== 'reconciliation';
    const params = new URLSearchParams({
      list: chosen,
      ...(chosen === 'reconciliation' && date.value ? { date: date.value } : {}),
      ...(size === PAGE ? {} : { limit: String(size) }),
    });
    history.replaceState(history.state, '', `/ops/lists?${params}`);
    return renderList(panel, chosen, size, date.value || undefined, signal);
  };
  select.addEventListener('change', () => void show());
  date.addEventListener('change', () => void show());
  await renderList(panel, list, size, date.value || undefined, signal);
}

async function renderList(panel: HTMLElement, list: OpsList, size: number, date: string | undefined, signal: AbortSignal): Promise<void> {
  replace(panel, loading());
  try {
    const first = await firstPage(list, size, date, signal);
    const rows = h('ul', { class: 'ops-rows', id: 'ops-rows', 'data-list': list }, first.rows);
    const errors = errorSlot();
    const more = h('button', { type: 'button', class: 'btn', id: 'ops-load-more' }, t('ops.lists.loadMore'));
    let next = first.next;
    more.hidden = !next;
    more.addEventListener(
      'click',
      () =>
        void busy(more, t('common.loading'), async () => {
          errors.clear();
          try {
            const page = await next!();
            rows.append(...page.rows);
            next = page.next;
            more.hidden = !next;
          } catch (err) {
            errors.show(err);
          }
        }),
    );
    replace(
      panel,
      h('h2', { class: 'section-title' }, t(LIST_LABELS[list])),
      first.rows.length ? rows : h('p', { class: 'empty', id: 'ops-list-empty' }, t('ops.lists.empty')),
      errors.el,
      more,
    );
  } catch (err) {
    if (!signal.aborted)
      replace(
        panel,
        errorBox(err, () => void renderList(panel, list, size, date, signal)),
      );
  }
}

function firstPage(list: OpsList, size: number, date: string | undefined, signal: AbortSignal): Promise<Page> {
  switch (list) {
    case 'failed-attempts':
      return paged(async (cursor) => {
        const page = await read(client.GET('/v1/ops/failed-attempts', { params: { query: { limit: size, ...(cursor ? { cursor } : {}) } }, signal }));
        return { items: page.items.map(attemptRow), cursor: page.cursor };
      });
    case 'overdue':
    case 'defaulted':
      return paged(async (cursor) => {
        const page = await read(client.GET('/v1/plans', { params: { query: { status: list, limit: size, ...(cursor ? { cursor } : {}) } }, signal }));
        return { items: page.items.map(planRow), cursor: page.cursor };
      });
    case 'notices-failed':
    case 'notices-suppressed': {
      const status = list === 'notices-failed' ? 'failed' : 'suppressed';
      return paged(async (cursor) => {
        const page = await read(client.GET('/v1/ops/notices', { params: { query: { status, limit: size, ...(cursor ? { cursor } : {}) } }, signal }));
        return { items: page.items.map(noticeRow), cursor: page.cursor };
      });
    }
    case 'reconciliation':
      return (async () => {
        const report = await read(client.GET('/v1/ops/reconciliation', { params: { query: date ? { date } : {} }, signal }));
        const head = h(
          'li',
          { class: 'ops-row ops-row--head' },
          t('ops.lists.reconciliationOf', { date: fmt.date(report.date), count: report.differenceCount, zone: report.timeZone }),
        );
        const slice = (from: number): Page => ({
          rows: report.differences.slice(from, from + size).map(differenceRow),
          ...(from + size < report.differences.length ? { next: async () => slice(from + size) } : {}),
        });
        const page = slice(0);
        return { ...page, rows: [head, ...page.rows] };
      })();
  }
}

function row(attrs: Record<string, string>, title: string, ...lines: Array<string | null>): HTMLElement {
  return h(
    'li',
    { class: 'ops-row', ...attrs },
    h('div', { class: 'ops-row__title' }, title),
    ...lines.filter((l): l is string => l !== null).map((l) => h('div', { class: 'hint' }, l)),
  );
}

function attemptRow(a: FailedAttempt): HTMLElement {
  const r = a.repayment;
  return row(
    { 'data-plan': a.planId },
    `${fmt.money(r.amount)} · ${fmt.periods(r.periods)}`,
    `${t('ops.lists.plan')} ${a.planId}${a.customerId ? ` · ${t('ops.lists.customer')} ${a.customerId}` : ''}`,
    t('ops.lists.reason', { reason: r.failureCode ? declineText(r.failureCode) : '–' }),
    `${t('ops.lists.failedAt')} ${fmt.instant(r.createdAt, zone())} · ${a.nextAttemptAt ? t('ops.lists.nextRetry', { at: fmt.instant(a.nextAttemptAt, zone()) }) : t('ops.lists.noRetry')}`,
  );
}

function planRow(p: PlanItem): HTMLElement {
  return row(
    { 'data-plan': p.planId },
    `${p.productName} · ${label('status', p.status)}`,
    `${t('ops.lists.plan')} ${p.planId} · ${t('ops.lists.customer')} ${p.customerId}`,
    `${t('ops.lists.outstanding')} ${fmt.money(p.outstanding)} · ${t('ops.lists.paidOf', { paid: p.paidPeriods, periods: p.periods })}`,
    p.nextDueDate ? `${t('ops.lists.nextDue')} ${fmt.date(p.nextDueDate)}` : null,
  );
}

function noticeRow(n: Notice): HTMLElement {
  return row(
    { 'data-notice': n.id },
    `${label('kind', n.kind)} · ${label('channel', n.channel)} · ${label('status', n.status)}`,
    t('ops.lists.reason', { reason: n.reason ?? '–' }),
    `${t('ops.lists.customer')} ${n.customerId} · ${t('ops.lists.plan')} ${n.planId}`,
    fmt.instant(n.createdAt, zone()),
  );
}

function differenceRow(d: Difference): HTMLElement {
  const amount = (m?: { amount: number; currency: string }) => (m ? fmt.money(m as Parameters<typeof fmt.money>[0]) : '–');
  return row(
    { 'data-difference': d.kind },
    `${t(`ops.lists.diff.${d.kind}` as MessageKey)} · ${d.provider}`,
    `${t('ops.lists.attempt')} ${d.idempotencyKey}${d.planId ? ` · ${t('ops.lists.plan')} ${d.planId}` : ''}`,
    `${t('ops.lists.captured')} ${amount(d.capture)} · ${t('ops.lists.recorded')} ${amount(d.record)}`,
  );
}
