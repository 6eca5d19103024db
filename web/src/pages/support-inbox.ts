/**
 * The operators' support inbox (admin): cases of every customer by status (`/support-inbox`),
 * and a case (`/support-inbox/:caseId`) with its thread, the answer box (the answer reaches the
 * customer as a notice) and, for an extension request, approve or decline with a reason.
 */
import { client, idempotentAction, read } from '../api.ts';
import { h, replace } from '../dom.ts';
import { fmt, type MessageKey, t } from '../i18n.ts';
import { navigate, type PageContext } from '../router.ts';
import { session } from '../session.ts';
import { main } from '../shell.ts';
import { busy, errorBox, errorSlot, field, loading, pageHeader, toast } from '../ui.ts';
import { caseItem, caseThread, type SupportCase } from './support.ts';

const STATUSES = ['open', 'answered', 'approved', 'declined', 'closed'] as const;

export async function supportInboxPage({ query, signal }: PageContext): Promise<void> {
  if (!session.identity?.admin) {
    replace(main(), pageHeader(t('support.inbox')), h('p', { class: 'alert alert--error' }, t('ops.notAdmin')));
    return;
  }
  const asked = query.get('status') ?? 'open';
  const status = STATUSES.find((s) => s === asked) ?? 'all';
  const filter = h(
    'select',
    {
      id: 'inbox-status',
      onchange: (e: Event) => navigate(`/support-inbox?status=${encodeURIComponent((e.target as HTMLSelectElement).value)}`),
    },
    h('option', { value: 'all', selected: status === 'all' }, t('support.all')),
    STATUSES.map((s) => h('option', { value: s, selected: s === status }, t(`support.status.${s}` as MessageKey))),
  );
  const list = h('ul', { class: 'cases', id: 'inbox' });
  const more = h('div', { class: 'more' });
  replace(main(), pageHeader(t('support.inbox')), field(t('support.status'), filter), list, more);
  const loadPage = async (cursor?: string) => {
    replace(more, loading());
    try {
      const query = { limit: 20, ...(status !== 'all' ? { status } : {}), ...(cursor ? { cursor } : {}) };
      const page = await read(client.GET('/v1/support/cases', { params: { query }, signal }));
      if (!cursor && page.items.length === 0) list.append(h('li', { class: 'empty card' }, t('support.inboxEmpty')));
      list.append(...page.items.map((c) => caseItem(c, `/support-inbox/${encodeURIComponent(c.caseId)}`, c.customerId)));
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

export async function inboxCasePage({ params, signal }: PageContext): Promise<void> {
  const caseId = params.caseId ?? '';
  const back = { href: '/support-inbox' };
  const reload = () => void inboxCasePage({ params, signal, query: new URLSearchParams() });
  replace(main(), pageHeader(t('support.case'), back), loading());
  try {
    const found = await read(client.GET('/v1/support/cases/{caseId}', { params: { path: { caseId } }, signal }));
    replace(main(), pageHeader(t('support.case'), back), caseThread(found, { operator: true, reload, decide: (c) => decision(c, reload) }));
  } catch (err) {
    if (signal.aborted) return;
    replace(main(), pageHeader(t('support.case'), back), errorBox(err, reload));
  }
}

/** Approve or decline an extension request; a refusal (the plan's rules) shows inline. */
function decision(c: SupportCase, reload: () => void): HTMLElement | null {
  if (c.category !== 'extension_request') return null;
  const approve = idempotentAction();
  const decline = idempotentAction();
  const errors = errorSlot();
  const params = (key: string) => ({ path: { caseId: c.caseId }, header: { 'idempotency-key': key } });
  const reason = h('textarea', { id: 'decline-reason', rows: 2, maxlength: 2000 });
  const approveButton = h('button', { type: 'button', class: 'btn btn--primary', id: 'case-approve' }, t('support.approve'));
  const declineButton = h('button', { type: 'button', class: 'btn btn--danger', id: 'case-decline' }, t('support.decline'));
  approveButton.addEventListener('click', () => {
    errors.clear();
    void busy(approveButton, t('support.sending'), async () => {
      try {
        const { body: done } = await approve({ approve: c.caseId }, (key) => client.POST('/v1/support/cases/{caseId}/approve', { params: params(key) }));
        toast(t('support.approved', { date: done.newDueDate ? fmt.date(done.newDueDate) : '' }));
        reload();
      } catch (err) {
        errors.show(err);
      }
    });
  });
  declineButton.addEventListener('click', () => {
    errors.clear();
    void busy(declineButton, t('support.sending'), async () => {
      try {
        const body = { reason: reason.value };
        await decline(body, (key) => client.POST('/v1/support/cases/{caseId}/decline', { params: params(key), body }));
        reload();
      } catch (err) {
        errors.show(err);
      }
    });
  });
  return h(
    'section',
    { class: 'card decision', id: 'decision', 'aria-label': t('support.decision') },
    h('h2', null, t('support.decision')),
    h('p', { class: 'muted small' }, t('support.decisionHint', { period: c.period ?? '', days: c.days ?? '' })),
    field(t('support.declineReason'), reason),
    errors.el,
    h('div', { class: 'sheet__actions' }, declineButton, approveButton),
  );
}
