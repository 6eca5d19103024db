/**
 * A payment's receipt (`/orders/{planId}/receipts/{repaymentId}`): shown as soon as a payment
 * went through, and again on a reload from `GET /v1/plans/{id}/repayments`.
 */

import type { Plan, Repayment } from '../api.ts';
import { client, read } from '../api.ts';
import { h, link, replace } from '../dom.ts';
import { fmt, t } from '../i18n.ts';
import { icon } from '../icons.ts';
import type { PageContext } from '../router.ts';
import { navigate } from '../router.ts';
import { timeZone } from '../session.ts';
import { main } from '../shell.ts';
import { definition, errorBox, loading, pageHeader } from '../ui.ts';
import { nextPayment } from './orders.ts';

/** The answer of the payment just made, so its receipt needs no second request. */
let fresh: { repayment: Repayment; plan: Plan } | undefined;

export function receiptPath(planId: string, repaymentId: string): string {
  return `/orders/${encodeURIComponent(planId)}/receipts/${encodeURIComponent(repaymentId)}`;
}

/** On to the receipt of a payment that went through. */
export function showReceipt(result: { repayment: Repayment; plan: Plan }): void {
  fresh = result;
  navigate(receiptPath(result.plan.planId, result.repayment.id));
}

export async function receiptPage({ params, signal }: PageContext): Promise<void> {
  const planId = params.planId ?? '';
  const repaymentId = params.repaymentId ?? '';
  const back = { href: `/orders/${encodeURIComponent(planId)}` };
  let data = fresh?.repayment.id === repaymentId && fresh.plan.planId === planId ? fresh : undefined;
  fresh = undefined;
  if (!data) {
    replace(main(), pageHeader(t('receipt.title'), back), loading());
    try {
      const [plan, records] = await Promise.all([
        read(client.GET('/v1/plans/{planId}', { params: { path: { planId } }, signal })),
        read(client.GET('/v1/plans/{planId}/repayments', { params: { path: { planId } }, signal })),
      ]);
      const repayment = records.items.find((r) => r.id === repaymentId && r.status === 'succeeded');
      if (!repayment) throw new Error(t('receipt.notFound'));
      data = { plan, repayment };
    } catch (err) {
      if (!signal.aborted) replace(main(), pageHeader(t('receipt.title'), back), errorBox(err));
      return;
    }
  }
  if (signal.aborted) return;
  const { plan, repayment } = data;
  const due = nextPayment(plan);
  replace(
    main(),
    pageHeader(t('receipt.title'), back),
    h(
      'section',
      { class: 'card receipt', id: 'receipt', 'aria-labelledby': 'payment-result' },
      h('div', { class: 'receipt__mark' }, icon('success', 40)),
      h('h2', { class: 'receipt__amount', id: 'payment-result' }, t('receipt.paid', { amount: fmt.money(repayment.amount) })),
      h('p', { class: 'muted' }, plan.status === 'paid_off' ? t('receipt.paidOff') : t('receipt.thanks')),
      definition([
        [t('receipt.order'), `${plan.productName} · ${plan.orderId}`],
        [t('receipt.periods'), fmt.periods(repayment.periods)],
        [t('receipt.method'), repayment.paymentMethod.display],
        [t('receipt.time'), h('time', { class: 'date', datetime: repayment.createdAt }, fmt.instant(repayment.createdAt, timeZone(plan.timeZone), { year: true }))],
        [t('receipt.reference'), h('span', { class: 'reference' }, repayment.id)],
        [t('receipt.outstanding'), h('span', { id: 'receipt-outstanding' }, fmt.money(plan.outstanding))],
        ...(due.amount && plan.status !== 'paid_off' ? [[t('receipt.nextDue'), `${fmt.money(due.amount)}${due.date ? ` · ${fmt.date(due.date)}` : ''}`] as [string, string]] : []),
      ]),
    ),
    h(
      'div',
      { class: 'stack' },
      link(back.href, { class: 'btn btn--primary btn--block', id: 'receipt-back' }, t('receipt.backToOrder')),
      link(`/orders/${encodeURIComponent(planId)}/records`, { class: 'btn btn--block', id: 'receipt-records' }, t('receipt.records')),
    ),
  );
}
