/** Repayment records of a plan: `GET /v1/plans/{id}/repayments`, newest first. */

import { client, read } from '../api.ts';
import { h, link, replace } from '../dom.ts';
import { declineText, fmt, t } from '../i18n.ts';
import { icon } from '../icons.ts';
import type { PageContext } from '../router.ts';
import { timeZone } from '../session.ts';
import { main } from '../shell.ts';
import { badge, errorBox, loading, pageHeader } from '../ui.ts';
import { receiptPath } from './receipt.ts';
import { newCaseHref } from './support.ts';

export async function recordsPage({ params, signal }: PageContext): Promise<void> {
  const planId = params.planId ?? '';
  const back = { href: `/orders/${encodeURIComponent(planId)}` };
  replace(main(), pageHeader(t('records.title'), back), loading());
  try {
    const [plan, records] = await Promise.all([
      read(client.GET('/v1/plans/{planId}', { params: { path: { planId } }, signal })),
      read(client.GET('/v1/plans/{planId}/repayments', { params: { path: { planId } }, signal })),
    ]);
    const zone = timeZone(plan.timeZone);
    const items = [...records.items].reverse();
    // A history that spans years (or is not of this year) carries the year on every date.
    const years = new Set([new Date().getUTCFullYear(), ...items.map((r) => new Date(r.createdAt).getUTCFullYear())]);
    const withYear = years.size > 1;
    replace(
      main(),
      pageHeader(t('records.title'), back),
      h('p', { class: 'muted' }, `${plan.productName} · ${t('orders.order', { id: plan.orderId })}`),
      items.length === 0
        ? h('p', { class: 'empty card' }, t('records.empty'))
        : h(
            'ul',
            { class: 'records', id: 'records' },
            items.map((r) =>
              h(
                'li',
                { class: `record card record--${r.status}`, 'data-kind': r.kind, 'data-status': r.status },
                h(
                  'div',
                  { class: 'record__main' },
                  h('span', { class: `kind kind--${r.kind}` }, r.kind === 'auto' ? t('records.auto') : t('records.manual')),
                  h('strong', { class: 'money' }, fmt.money(r.amount)),
                ),
                h(
                  'div',
                  { class: 'record__meta' },
                  h('span', null, fmt.periods(r.periods)),
                  h('span', null, r.paymentMethod.display),
                  h('time', { class: 'date', datetime: r.createdAt }, fmt.instant(r.createdAt, zone, { year: withYear })),
                  badge(r.status),
                ),
                r.failureCode ? h('p', { class: 'record__reason text-danger' }, t('records.failure', { reason: declineText(r.failureCode) })) : null,
                r.status === 'succeeded' ? link(receiptPath(planId, r.id), { class: 'record__receipt' }, t('receipt.title'), icon('forward', 18)) : null,
                r.status === 'failed'
                  ? h('p', { class: 'record__contact' }, link(newCaseHref({ planId, repaymentId: r.id, period: r.periods[0] }), { class: 'contact-support' }, t('records.contact')))
                  : null,
              ),
            ),
          ),
    );
  } catch (err) {
    if (signal.aborted) return;
    replace(
      main(),
      pageHeader(t('records.title'), back),
      errorBox(err, () => void recordsPage({ params, signal, query: new URLSearchParams() })),
    );
  }
}
