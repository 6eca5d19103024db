/**
 * Customer support in the portal: my cases (`/support`), a new case (`/support/new`, opened
 * from an order, a failed repayment record or a refused deferral, which fill in what it is
 * about), and a case's thread (`/support/:caseId`) with replies. The operators' inbox is in
 * ./support-inbox.ts; both share the thread view below.
 */

import { ApiError, client, idempotentAction, read } from '../api.ts';
import type { components } from '../api-types.ts';
import { h, link, replace } from '../dom.ts';
import { fmt, type MessageKey, t } from '../i18n.ts';
import { navigate, type PageContext } from '../router.ts';
import { timeZone } from '../session.ts';
import { main } from '../shell.ts';
import { badge, busy, definition, errorBox, errorSlot, field, loading, pageHeader, toast } from '../ui.ts';

export type SupportCase = components['schemas']['SupportCase'];
export type CaseSummary = components['schemas']['SupportCaseSummary'];
type Category = SupportCase['category'];

const CATEGORIES: readonly Category[] = ['failed_debit', 'wrong_amount', 'refund', 'extension_request', 'other'];
const FINAL = new Set(['closed', 'approved', 'declined']);

export const caseStatus = (status: string) => badge(`case-${status}`, t(`support.status.${status}` as MessageKey));
export const categoryText = (category: string) => t(`support.category.${category}` as MessageKey);

/** Where to open a case about something: the new-case page with what it is about filled in. */
export function newCaseHref(about: { category?: Category; planId?: string; repaymentId?: string; period?: number; days?: number }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(about)) if (value !== undefined) params.set(key, String(value));
  return `/support/new?${params}`;
}

/**
 * A refused self-service deferral that support could still grant points to an extension request
 * (the API says so with `remedy: "extension_request"`): a link to open one, or nothing.
 */
export function extensionRequestLink(err: unknown, request: { planId: string; period: number; days: number }, onFollow?: () => void): HTMLElement | null {
  if (!(err instanceof ApiError) || err.problem.remedy !== 'extension_request') return null;
  return h(
    'p',
    { class: 'remedy' },
    link(newCaseHref({ category: 'extension_request', ...request }), { id: 'extension-request', class: 'btn btn--small', onclick: () => onFollow?.() }, t('support.askExtension')),
  );
}

export async function supportListPage({ signal }: PageContext): Promise<void> {
  const list = h('ul', { class: 'cases', id: 'cases' });
  const more = h('div', { class: 'more' });
  replace(main(), pageHeader(t('support.title')), h('p', null, link('/support/new', { class: 'btn btn--primary', id: 'new-case' }, t('support.new'))), list, more);
  const loadPage = async (cursor?: string) => {
    replace(more, loading());
    try {
      const page = await read(client.GET('/v1/support/cases', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } }, signal }));
      if (!cursor && page.items.length === 0) list.append(h('li', { class: 'empty card' }, t('support.empty')));
      list.append(...page.items.map((c) => caseItem(c, `/support/${encodeURIComponent(c.caseId)}`)));
      replace(more, page.cursor ? h('button', { type: 'button', class: 'btn btn--block', onclick: () => void loadPage(page.cursor ?? undefined) }, t('common.loadMore')) : null);
    } catch (err) {
      if (!signal.aborted)
        replace(
          more,
          errorBox(err, () => void loadPage(cursor)),
        );
    }
  };
  await loadPage();
}

/** One case in a list: status, category, subject, last activity. */
export function caseItem(c: CaseSummary, href: string, extra?: string): HTMLElement {
  return h(
    'li',
    { class: 'case card', 'data-case': c.caseId, 'data-status': c.status },
    link(
      href,
      { class: 'case__link' },
      h('div', { class: 'case__head' }, h('span', { class: 'chip' }, categoryText(c.category)), caseStatus(c.status)),
      h('p', { class: 'case__subject' }, c.subject),
      h('p', { class: 'muted small' }, extra ? `${extra} · ` : '', h('time', { datetime: c.updatedAt }, fmt.instant(c.updatedAt, timeZone()))),
    ),
  );
}

export async function newCasePage({ query }: PageContext): Promise<void> {
  const send = idempotentAction();
  const errors = errorSlot();
  const planId = query.get('planId') ?? undefined;
  const repaymentId = query.get('repaymentId') ?? undefined;
  const initial = (query.get('category') as Category | null) ?? (repaymentId ? 'failed_debit' : 'other');
  const category = h(
    'select',
    { name: 'category', id: 'case-category' },
    CATEGORIES.map((c) => h('option', { value: c, selected: c === initial }, categoryText(c))),
  );
  const period = h('input', { type: 'number', name: 'period', id: 'case-period', min: 1, inputmode: 'numeric', value: query.get('period') ?? '' });
  const days = h('input', { type: 'number', name: 'days', id: 'case-days', min: 1, max: 180, inputmode: 'numeric', value: query.get('days') ?? '' });
  const extension = h('div', { class: 'case__extension' }, field(t('support.period'), period), field(t('support.days'), days, t('support.daysHint')));
  const showExtension = () => {
    extension.hidden = category.value !== 'extension_request';
  };
  category.addEventListener('change', showExtension);
  showExtension();
  const message = h('textarea', { name: 'message', id: 'case-message', rows: 5, maxlength: 2000, required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn--primary btn--block', id: 'case-submit' }, t('support.send'));
  const about = [
    planId ? link(`/orders/${encodeURIComponent(planId)}`, null, t('support.aboutPlan')) : null,
    repaymentId ? h('span', { class: 'chip', id: 'case-repayment' }, t('support.aboutRepayment')) : null,
  ].filter(Boolean);
  replace(
    main(),
    pageHeader(t('support.new'), { href: planId ? `/orders/${encodeURIComponent(planId)}` : '/support' }),
    about.length ? h('p', { class: 'muted' }, about) : null,
    h(
      'form',
      {
        class: 'card form',
        id: 'case-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          errors.clear();
          const isExtension = category.value === 'extension_request';
          const body = {
            category: category.value as Category,
            ...(planId ? { planId } : {}),
            ...(repaymentId ? { repaymentId } : {}),
            ...(period.value && (isExtension || query.has('period')) ? { period: Number(period.value) } : {}),
            ...(isExtension && days.value ? { days: Number(days.value) } : {}),
            message: message.value,
          };
          void busy(submit, t('support.sending'), async () => {
            try {
              const { body: created } = await send(body, (key) => client.POST('/v1/support/cases', { params: { header: { 'idempotency-key': key } }, body }));
              toast(t('support.sent'));
              navigate(`/support/${encodeURIComponent(created.caseId)}`);
            } catch (err) {
              errors.show(err);
            }
          });
        },
      },
      field(t('support.category'), category),
      extension,
      field(t('support.message'), message),
      errors.el,
      submit,
    ),
  );
}

export async function casePage({ params, signal }: PageContext): Promise<void> {
  const caseId = params.caseId ?? '';
  const back = { href: '/support' };
  replace(main(), pageHeader(t('support.case'), back), loading());
  try {
    const found = await read(client.GET('/v1/support/cases/{caseId}', { params: { path: { caseId } }, signal }));
    const view = caseThread(found, { operator: false, reload: () => void casePage({ params, signal, query: new URLSearchParams() }) });
    replace(main(), pageHeader(t('support.case'), back), view);
  } catch (err) {
    if (signal.aborted) return;
    replace(
      main(),
      pageHeader(t('support.case'), back),
      errorBox(err, () => void casePage({ params, signal, query: new URLSearchParams() })),
    );
  }
}

/**
 * A case's facts, its messages and the reply box, for the customer and for support (which also
 * decides extension requests: see ./support-inbox.ts, which passes `decide`).
 */
export function caseThread(c: SupportCase, options: { operator: boolean; reload: () => void; decide?: (c: SupportCase) => HTMLElement | null }): HTMLElement {
  const facts: Array<[string, HTMLElement | string]> = [
    [t('support.status'), caseStatus(c.status)],
    [t('support.category'), categoryText(c.category)],
  ];
  if (c.planId) facts.push([t('support.plan'), options.operator ? c.planId : link(`/orders/${encodeURIComponent(c.planId)}`, { id: 'case-plan' }, t('support.aboutPlan'))]);
  if (c.period !== undefined) facts.push([t('support.period'), String(c.period)]);
  if (c.days !== undefined) facts.push([t('support.days'), String(c.days)]);
  if (c.newDueDate) facts.push([t('support.newDueDate'), h('strong', { id: 'case-new-due-date' }, fmt.date(c.newDueDate))]);
  if (c.decisionReason) facts.push([t('support.reason'), h('span', { id: 'case-reason' }, c.decisionReason)]);
  if (options.operator) facts.unshift([t('support.customer'), c.customerId]);

  const thread = h(
    'ol',
    { class: 'thread', id: 'thread' },
    c.messages.map((m) =>
      h(
        'li',
        { class: `message message--${m.author}`, 'data-author': m.author },
        h(
          'p',
          { class: 'message__who muted small' },
          m.author === 'operator' ? t('support.fromSupport') : options.operator ? t('support.fromCustomer') : t('support.fromMe'),
          ' · ',
          h('time', { datetime: m.createdAt }, fmt.instant(m.createdAt, timeZone())),
        ),
        h('p', { class: 'message__body' }, m.body),
      ),
    ),
  );
  const final = FINAL.has(c.status);
  return h(
    'div',
    { class: 'case-view', 'data-status': c.status },
    h('section', { class: 'card' }, h('h2', { class: 'case__title' }, c.subject), definition(facts)),
    thread,
    final ? h('p', { class: 'muted', id: 'case-final' }, t(`support.final.${c.status}` as MessageKey)) : replyBox(c, options),
    !final && options.decide ? options.decide(c) : null,
  );
}

function replyBox(c: SupportCase, options: { operator: boolean; reload: () => void }): HTMLElement {
  const send = idempotentAction();
  const close = idempotentAction();
  const errors = errorSlot();
  const text = h('textarea', {
    name: 'message',
    id: 'reply-message',
    rows: 3,
    maxlength: 2000,
    required: true,
    'aria-label': options.operator ? t('support.answer') : t('support.reply'),
  });
  const submit = h('button', { type: 'submit', class: 'btn btn--primary', id: 'reply-submit' }, options.operator ? t('support.answer') : t('support.reply'));
  const closeButton = h('button', { type: 'button', class: 'btn btn--ghost', id: 'case-close' }, t('support.close'));
  closeButton.addEventListener('click', () => {
    void busy(closeButton, t('support.sending'), async () => {
      try {
        await close({ close: c.caseId }, (key) => client.POST('/v1/support/cases/{caseId}/close', { params: { path: { caseId: c.caseId }, header: { 'idempotency-key': key } } }));
        options.reload();
      } catch (err) {
        errors.show(err);
      }
    });
  });
  return h(
    'form',
    {
      class: 'card form reply',
      id: 'reply-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        errors.clear();
        void busy(submit, t('support.sending'), async () => {
          try {
            const body = { message: text.value };
            await send(body, (key) => client.POST('/v1/support/cases/{caseId}/messages', { params: { path: { caseId: c.caseId }, header: { 'idempotency-key': key } }, body }));
            toast(t('support.sent'));
            options.reload();
          } catch (err) {
            errors.show(err);
          }
        });
      },
    },
    text,
    errors.el,
    h('div', { class: 'sheet__actions' }, closeButton, submit),
  );
}
