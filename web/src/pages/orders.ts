/** My orders: `GET /v1/plans`, searchable by order id or product name, with cursor paging. */

import type { Money, PlanSummary } from '../api.ts';
import { client, read } from '../api.ts';
import { h, link, replace } from '../dom.ts';
import { fmt, t } from '../i18n.ts';
import { icon } from '../icons.ts';
import type { PageContext } from '../router.ts';
import { navigate } from '../router.ts';
import { main } from '../shell.ts';
import { badge, errorBox, loading, pageHeader, progress } from '../ui.ts';

export async function ordersPage({ query, signal }: PageContext): Promise<void> {
  const q = query.get('q')?.trim() ?? '';
  const input = h('input', { type: 'search', name: 'q', value: q, placeholder: t('orders.searchPlaceholder'), 'aria-label': t('orders.search'), enterkeyhint: 'search' });
  const list = h('ul', { class: 'plan-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const more = h('div', { class: 'more' });
  replace(
    main(),
    pageHeader(t('orders.title')),
    h(
      'form',
      {
        class: 'search',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const next = input.value.trim();
          navigate(next ? `/orders?q=${encodeURIComponent(next)}` : '/orders', { replace: true });
        },
      },
      input,
      h('button', { type: 'submit', class: 'btn' }, t('orders.searchButton')),
    ),
    list,
    more,
  );

  const loadPage = async (cursor?: string) => {
    replace(more, loading());
    try {
      const page = await read(client.GET('/v1/plans', { params: { query: { limit: 10, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } }, signal }));
      list.removeAttribute('aria-busy');
      if (!cursor && page.items.length === 0) list.append(h('li', { class: 'empty' }, q ? t('orders.emptySearch', { q }) : t('orders.empty')));
      list.append(...page.items.map(planCard));
      replace(
        more,
        page.cursor
          ? h('button', { type: 'button', class: 'btn btn--block', id: 'load-more', onclick: () => void loadPage(page.cursor ?? undefined) }, t('common.loadMore'))
          : null,
      );
    } catch (err) {
      if (signal.aborted) return;
      replace(
        more,
        errorBox(err, () => void loadPage(cursor)),
      );
    }
  };
  await loadPage();
}

/**
 * What the plan asks for next, the same on its card and on its detail: a defaulted plan owes
 * everything now; otherwise the installment due next (late fee included).
 */
export function nextPayment(p: PlanSummary): { label: string; amount: Money | undefined; date: string | null } {
  if (p.status === 'defaulted') return { label: t('plan.dueNow'), amount: p.outstanding, date: null };
  return { label: p.status === 'overdue' ? t('plan.overdueNow') : t('orders.nextPayment'), amount: p.nextAmountDue, date: p.nextDueDate };
}

/** A plan in the list: a defaulted or overdue one stands out and says what to do. */
export function planCard(p: PlanSummary): HTMLElement {
  const trouble = p.status === 'overdue' || p.status === 'defaulted';
  const due = nextPayment(p);
  return h(
    'li',
    { class: `plan-card card plan-card--${p.status}`, 'data-plan': p.planId, 'data-status': p.status },
    link(
      `/orders/${encodeURIComponent(p.planId)}`,
      { class: 'plan-card__link' },
      h('div', { class: 'plan-card__head' }, h('h2', { class: 'plan-card__title' }, p.productName), badge(p.status)),
      h('p', { class: 'plan-card__order muted' }, t('orders.order', { id: p.orderId })),
      trouble
        ? h(
            'p',
            { class: 'plan-card__alert', role: 'note' },
            icon('warning', 18),
            p.status === 'defaulted' ? t('orders.defaultedNote', { amount: fmt.money(p.outstanding) }) : t('orders.overdueNote'),
          )
        : null,
      progress(p.paidPeriods, p.periods, t('orders.progress', { paid: p.paidPeriods, total: p.periods })),
      h(
        'dl',
        { class: 'plan-card__facts' },
        h('div', null, h('dt', null, due.label), h('dd', { class: 'money', 'data-next-amount': true }, due.amount ? fmt.money(due.amount) : t('orders.noneDue'))),
        h('div', null, h('dt', null, t('orders.nextDue')), h('dd', { class: 'date' }, due.date ? fmt.date(due.date) : t('orders.noneDue'))),
        h('div', null, h('dt', null, t('orders.outstanding')), h('dd', { class: 'money money--strong' }, fmt.money(p.outstanding))),
      ),
    ),
  );
}
