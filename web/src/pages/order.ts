/**
 * Order detail: `GET /v1/plans/{id}` — what is due next, the APR disclosure, paid and unpaid
 * periods, the installment table, and the actions: repay the next period, repay what is
 * overdue, pay off early (after the quote), pay an amount, defer a period.
 */

import type { Installment, NextAction, PaymentMethod, PayoffQuote, Plan, RepaymentAnswer, RepaymentRequest, RepaymentScope } from '../api.ts';
import { ApiError, client, idempotentAction, read } from '../api.ts';
import { h, link, replace } from '../dom.ts';
import { declineText, fmt, label, locale, t } from '../i18n.ts';
import { icon } from '../icons.ts';
import { currencySymbol, type Money, minorDigits, readAmount } from '../money.ts';
import { pending, publishableKey, qrPayload, redirectTo, sleep, stripe } from '../provider.ts';
import type { PageContext } from '../router.ts';
import { home, timeZone } from '../session.ts';
import { main } from '../shell.ts';
import { badge, busy, definition, errorBox, errorSlot, field, loading, pageHeader, progress, refusalReason, sheet, toast } from '../ui.ts';
import { nextPayment } from './orders.ts';
import { showReceipt } from './receipt.ts';
import { extensionRequestLink, newCaseHref } from './support.ts';

const UNPAID = new Set(['scheduled', 'due', 'failed', 'overdue', 'deferred']);

export async function orderPage({ params, signal }: PageContext): Promise<void> {
  const planId = params.planId ?? '';
  replace(main(), pageHeader('', { href: home() }), loading());
  let plan: Plan;
  try {
    plan = await fetchPlan(planId, signal);
  } catch (err) {
    if (signal.aborted) return;
    replace(
      main(),
      pageHeader(t('plan.installments'), { href: home() }),
      errorBox(err, () => void orderPage({ params, signal, query: new URLSearchParams() })),
    );
    return;
  }
  if (signal.aborted) return;
  renderPlan(plan);
  if (pending.peekPayment()?.planId === planId) await resumeKept(planId);
}

function fetchPlan(planId: string, signal?: AbortSignal): Promise<Plan> {
  return read(client.GET('/v1/plans/{planId}', { params: { path: { planId } }, ...(signal ? { signal } : {}) }));
}

function renderPlan(plan: Plan): void {
  const unpaid = plan.installments.filter((i) => UNPAID.has(i.status));
  const next = unpaid[0];
  const overdue = plan.installments.filter((i) => i.status === 'overdue');
  const overdueTotal = sum(
    overdue.map((i) => remaining(i)),
    plan.currency,
  );
  const needsAction = plan.installments.find((i) => i.needsCustomerAction);
  const payable = (plan.status === 'active' || plan.status === 'overdue' || plan.status === 'defaulted') && unpaid.length > 0;
  const reload = async () => renderPlan(await fetchPlan(plan.planId));

  const due = nextPayment(plan);
  const defaulted = plan.status === 'defaulted';
  const button = (id: string, cls: string, text: string, onclick: () => void) => h('button', { type: 'button', class: `btn ${cls}`, id, onclick }, text);
  // Only what makes sense in the plan's state: a defaulted plan is all due (no deferral, no
  // "next period"); an overdue one is caught up first; a healthy one may also defer a period.
  const choices = !payable
    ? []
    : defaulted
      ? [
          button('repay-overdue', 'btn--danger', t('plan.repayAll'), () => repaySheet(plan, 'overdue', reload)),
          button('pay-amount', '', t('plan.payAmount'), () => repaySheet(plan, 'amount', reload)),
        ]
      : overdue.length > 0
        ? [
            button('repay-overdue', 'btn--danger', t('plan.repayOverdue'), () => repaySheet(plan, 'overdue', reload)),
            button('pay-amount', '', t('plan.payAmount'), () => repaySheet(plan, 'amount', reload)),
            button('pay-off', '', t('plan.payoff'), () => repaySheet(plan, 'payoff', reload)),
          ]
        : [
            button('repay-next', 'btn--primary', next && next.status !== 'scheduled' && next.status !== 'deferred' ? t('plan.repayNow') : t('plan.repayNext'), () =>
              repaySheet(plan, 'next', reload),
            ),
            button('pay-off', '', t('plan.payoff'), () => repaySheet(plan, 'payoff', reload)),
            button('pay-amount', '', t('plan.payAmount'), () => repaySheet(plan, 'amount', reload)),
            button('defer', 'btn--ghost', t('plan.defer'), () => deferSheet(plan)),
          ];
  const actions = choices.length ? h('div', { class: 'actions', role: 'group', 'aria-label': t('plan.actions') }, choices) : null;

  replace(
    main(),
    pageHeader(plan.productName, { href: home() }),
    h(
      'section',
      { class: `hero card hero--${plan.status}`, 'aria-labelledby': 'page-title' },
      h('div', { class: 'hero__top' }, h('span', { class: 'muted' }, t('orders.order', { id: plan.orderId })), badge(plan.status)),
      due.amount
        ? h(
            'div',
            { class: 'hero__due' },
            h('span', { class: 'hero__label' }, due.label),
            h('strong', { class: 'hero__amount', id: 'next-amount' }, fmt.money(due.amount)),
            due.date ? h('span', { class: 'hero__date' }, t('plan.summaryDue', { date: fmt.date(due.date) })) : null,
          )
        : h('div', { class: 'hero__due' }, h('strong', { class: 'hero__done', id: 'all-paid' }, plan.status === 'cancelled' ? label('status', 'cancelled') : t('plan.allPaid'))),
      progress(plan.paidPeriods, plan.periods, t('orders.progress', { paid: plan.paidPeriods, total: plan.periods })),
      h(
        'dl',
        { class: 'hero__facts' },
        h('div', null, h('dt', null, t('plan.outstanding')), h('dd', { class: 'money', id: 'outstanding' }, fmt.money(plan.outstanding))),
        h('div', null, h('dt', null, t('plan.paidPeriods')), h('dd', { id: 'paid-periods' }, String(plan.paidPeriods))),
        h('div', null, h('dt', null, t('plan.unpaidPeriods')), h('dd', { id: 'unpaid-periods' }, String(plan.unpaidPeriods))),
      ),
    ),
    defaulted
      ? h(
          'div',
          { class: 'alert alert--danger', role: 'alert', id: 'defaulted-banner' },
          icon('error'),
          h('p', null, t('plan.defaultedBanner', { amount: fmt.money(plan.outstanding) })),
        )
      : null,
    overdue.length > 0 && !defaulted
      ? h('div', { class: 'alert alert--danger', role: 'alert', id: 'overdue-banner' }, icon('error'), h('p', null, t('plan.overdueBanner', { amount: fmt.money(overdueTotal) })))
      : null,
    needsAction
      ? h(
          'div',
          { class: 'alert alert--warning', role: 'alert', id: 'action-needed' },
          icon('warning'),
          h('p', null, t('plan.actionBanner', { reason: declineText(needsAction.lastFailureCode ?? '') })),
          link('/methods', { class: 'btn btn--small' }, t('plan.bindMethod')),
        )
      : null,
    actions,
    h('p', { class: 'records-link' }, link(`/orders/${encodeURIComponent(plan.planId)}/records`, { id: 'records-link' }, t('plan.records'), icon('forward', 18))),
    h('p', { class: 'records-link' }, link(newCaseHref({ planId: plan.planId }), { id: 'contact-support' }, t('plan.contact'), icon('forward', 18))),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'disclosure-title' },
      h('h2', { id: 'disclosure-title', class: 'section-title' }, t('plan.apr')),
      h('p', { class: 'apr' }, h('strong', { id: 'apr' }, fmt.rate(plan.apr))),
      h('p', { class: 'muted small' }, t('plan.aprNote', { model: feeModel(plan) })),
      definition([
        [t('plan.principal'), fmt.money(plan.principal)],
        [t('plan.totalFee'), fmt.money(plan.totalFee)],
        [t('plan.perPeriod'), fmt.money(plan.perPeriodAmount)],
        [t('plan.purchaseDate'), fmt.date(plan.purchaseDate)],
      ]),
    ),
    h(
      'section',
      { class: 'card card--flush', 'aria-labelledby': 'installments-title' },
      h('h2', { id: 'installments-title', class: 'section-title pad' }, t('plan.installments')),
      installmentTable(plan),
    ),
  );
}

function feeModel(plan: Plan): string {
  const rate = plan.fee.model === 'flat' ? plan.fee.rate : plan.fee.annualRate;
  return t(`plan.feeModel.${plan.fee.model}`, { rate: fmt.rate(rate) });
}

function installmentTable(plan: Plan): HTMLElement {
  const cols = ['col.period', 'col.dueDate', 'col.principal', 'col.fee', 'col.lateFee', 'col.amountDue', 'col.status'] as const;
  return h(
    'table',
    { class: 'schedule', id: 'installments' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        cols.map((c) => h('th', { scope: 'col' }, t(c))),
      ),
    ),
    h(
      'tbody',
      null,
      plan.installments.map((i) =>
        h(
          'tr',
          { 'data-period': i.period, class: `row--${i.status}` },
          h('th', { scope: 'row', 'data-label': t('col.period') }, `${i.period}/${plan.periods}`),
          h('td', { class: 'cell-due' }, h('span', { class: 'date' }, fmt.date(i.dueDate))),
          h('td', { 'data-label': t('col.principal'), class: 'num cell-part' }, fmt.money(i.principal)),
          h('td', { 'data-label': t('col.fee'), class: 'num cell-part' }, fmt.money(i.fee)),
          h('td', { 'data-label': t('col.lateFee'), class: `num cell-part ${i.lateFee.amount > 0 ? 'text-danger' : ''}` }, fmt.money(i.lateFee)),
          // A paid period shows what was paid, quietly, never a large ¥0.00 "due".
          i.status === 'paid'
            ? h('td', { class: 'num cell-amount cell-amount--paid' }, t('inst.paidAmount', { amount: fmt.money(i.amountPaid) }))
            : h('td', { class: 'num strong cell-amount' }, fmt.money(i.amountDue)),
          h(
            'td',
            { 'data-label': t('col.status'), class: 'status-cell' },
            badge(i.status),
            i.needsCustomerAction ? h('span', { class: 'badge badge--action', title: t('inst.actionNeededHint') }, t('inst.actionNeeded')) : null,
            i.amountPaid.amount > 0 && i.status !== 'paid' ? h('small', { class: 'muted' }, t('inst.paidOn', { amount: fmt.money(i.amountPaid) })) : null,
            i.nextAttemptAt ? h('small', { class: 'next-try' }, t('inst.nextTry', { when: fmt.instant(i.nextAttemptAt, timeZone(plan.timeZone)) })) : null,
            i.lastFailureCode && i.status !== 'paid' ? h('small', { class: 'muted' }, declineText(i.lastFailureCode)) : null,
          ),
        ),
      ),
    ),
  );
}

/** A typed amount, or why it cannot be paid, in the reader's words. */
function amountProblem(text: string, plan: Plan): { amount: number } | { problem: string } {
  const read = readAmount(text, plan.currency);
  if ('problem' in read) return { problem: t(`amount.${read.problem}`, { digits: minorDigits(plan.currency) }) };
  if (read.amount <= 0) return { problem: t('amount.zero') };
  if (read.amount > plan.outstanding.amount) return { problem: t('amount.tooLarge', { max: fmt.money(plan.outstanding) }) };
  return read;
}

/** What is still owed on an installment (the API's `amountDue` is net of what was paid). */
function remaining(i: Installment): Money {
  return i.amountDue;
}

function sum(items: Money[], currency: string): Money {
  return { amount: items.reduce((s, m) => s + m.amount, 0), currency };
}

async function methods(customerId: string): Promise<PaymentMethod[]> {
  return (await read(client.GET('/v1/customers/{id}/payment-methods', { params: { path: { id: customerId } } }))).items;
}

function methodPicker(list: PaymentMethod[]): HTMLSelectElement {
  return h(
    'select',
    { name: 'method', id: 'pay-method' },
    list.map((m) =>
      h(
        'option',
        { value: m.id, selected: m.isDefault },
        m.isDefault ? t('repay.methodDefault', { method: `${label('type', m.type)} · ${m.display}` }) : `${label('type', m.type)} · ${m.display}`,
      ),
    ),
  );
}

/**
 * One sender per plan and action, kept across sheets: a payment whose answer was lost
 * (network error, 5xx) keeps its Idempotency-Key, so trying again — even after closing and
 * reopening the sheet — can never charge twice.
 */
const senders = new Map<string, ReturnType<typeof idempotentAction>>();
function sender(planId: string, action: string) {
  const key = `${planId} ${action}`;
  let send = senders.get(key);
  if (!send) senders.set(key, (send = idempotentAction()));
  return send;
}

/** The repay sheet for one scope. */
function repaySheet(plan: Plan, scope: RepaymentScope, done: () => Promise<void>): void {
  const send = sender(plan.planId, `repay:${scope}`);
  const unpaid = plan.installments.filter((i) => UNPAID.has(i.status));
  const overdue = plan.installments.filter((i) => i.status === 'overdue');
  sheet(t(`repay.title.${scope}`), (close) => {
    const body = h('div', { class: 'sheet__content' }, loading());
    void (async () => {
      const errors = errorSlot();
      let list: PaymentMethod[];
      let quote: PayoffQuote | undefined;
      try {
        [list, quote] = await Promise.all([
          methods(plan.customerId),
          scope === 'payoff' ? read(client.GET('/v1/plans/{planId}/payoff-quote', { params: { path: { planId: plan.planId } } })) : undefined,
        ]);
      } catch (err) {
        replace(body, errorBox(err));
        return;
      }
      const picker = methodPicker(list);
      const amountInput = h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off', required: true, id: 'pay-amount-input' });
      const confirm = h('input', { type: 'checkbox', id: 'payoff-confirm', name: 'confirm' });
      let total: Money | undefined;
      let lead: HTMLElement | null = null;
      if (scope === 'next' && unpaid[0]) {
        total = remaining(unpaid[0]);
        lead = h('p', { class: 'lead' }, t('repay.nextLead', { period: unpaid[0].period, date: fmt.date(unpaid[0].dueDate), amount: fmt.money(total) }));
      } else if (scope === 'overdue') {
        total = sum(overdue.map(remaining), plan.currency);
        lead = h('p', { class: 'lead' }, t('repay.overdueLead', { periods: fmt.periods(overdue.map((i) => i.period)), amount: fmt.money(total) }));
      } else if (scope === 'payoff' && quote) {
        total = quote.total;
        lead = h(
          'div',
          { class: 'quote', id: 'payoff-quote' },
          h('p', { class: 'muted' }, t('payoff.quoteAsOf', { date: fmt.date(quote.asOf) })),
          definition([
            [t('payoff.principal'), fmt.money(quote.principal)],
            [t('payoff.fee'), fmt.money(quote.fee)],
            ...(quote.lateFee.amount > 0 ? [[t('payoff.lateFee'), fmt.money(quote.lateFee)] as [string, string]] : []),
            [t('payoff.waived'), h('span', { class: 'text-success', id: 'payoff-waived' }, `−${fmt.money(quote.waived)}`)],
            [t('payoff.total'), h('strong', { id: 'payoff-total' }, fmt.money(quote.total))],
          ]),
          h('label', { class: 'check' }, confirm, t('payoff.confirm')),
        );
      } else if (scope === 'amount') {
        lead = h(
          'div',
          null,
          h('p', { class: 'lead' }, t('repay.amountLead', { amount: fmt.money(plan.outstanding) })),
          field(t('repay.amountLabel', { currency: plan.currency }), amountInput, undefined, currencySymbol(plan.currency, locale())),
        );
      }
      const pay = h(
        'button',
        { type: 'submit', class: 'btn btn--primary btn--block', id: 'pay-submit', disabled: scope === 'payoff' },
        total ? t('repay.pay', { amount: fmt.money(total) }) : t('common.confirm'),
      );
      confirm.addEventListener('change', () => (pay.disabled = !confirm.checked));
      amountInput.addEventListener('input', () => {
        const typed = amountProblem(amountInput.value, plan);
        amountInput.removeAttribute('aria-invalid');
        pay.textContent = 'amount' in typed ? t('repay.pay', { amount: fmt.money({ amount: typed.amount, currency: plan.currency }) }) : t('common.confirm');
      });
      const form = h(
        'form',
        {
          class: 'stack',
          onsubmit: (e: Event) => {
            e.preventDefault();
            errors.clear();
            let amount: number | undefined;
            if (scope === 'amount') {
              const typed = amountProblem(amountInput.value, plan);
              if ('problem' in typed) {
                errors.show(new Error(typed.problem));
                amountInput.setAttribute('aria-invalid', 'true');
                amountInput.focus();
                return;
              }
              amount = typed.amount;
            }
            const request: RepaymentRequest = {
              scope,
              ...(amount === undefined ? {} : { amount: { amount, currency: plan.currency } }),
              ...(picker.value ? { paymentMethodId: picker.value } : {}),
            };
            void busy(pay, t('repay.paying'), async () => {
              try {
                const answer = await repay(send, plan.planId, request);
                if (answer.body.status === 'requires_action') {
                  await confirmWithProvider({ planId: plan.planId, scope, body: request }, answer.body.next, send, body, close);
                  return;
                }
                close();
                paid(answer.body);
              } catch (err) {
                errors.show(err);
                if (err instanceof ApiError && err.code === 'REPAYMENT.DECLINED') void done().catch(() => undefined);
              }
            });
          },
        },
        lead,
        list.length ? field(t('repay.method'), picker) : h('p', { class: 'alert alert--warning' }, t('repay.noMethod'), ' ', link('/methods', null, t('plan.bindMethod'))),
        errors.el,
        h('div', { class: 'sheet__actions' }, h('button', { type: 'button', class: 'btn btn--ghost', onclick: close }, t('common.cancel')), pay),
      );
      if (!list.length) pay.disabled = true;
      replace(body, form);
      (scope === 'amount' ? amountInput : scope === 'payoff' ? confirm : pay).focus();
    })();
    return body;
  });
}

type Sender = ReturnType<typeof idempotentAction>;

/** Sends a repayment with the sender's Idempotency-Key (the same one again for the same request). */
function repay(send: Sender, planId: string, body: RepaymentRequest): Promise<{ status: number; body: RepaymentAnswer }> {
  return send({ planId, body }, (key) => client.POST('/v1/plans/{planId}/repayments', { params: { path: { planId }, header: { 'idempotency-key': key } }, body }));
}

/** A payment went through: on to its receipt. */
function paid(result: Extract<RepaymentAnswer, { status: 'succeeded' }>): void {
  showReceipt(result);
}

/**
 * The provider wants the customer to confirm (3-D Secure, a wallet password): carry out its
 * next step, then send the same request with the same Idempotency-Key to learn the result. A
 * redirect leaves the portal, so the request and its key are kept for the way back.
 */
async function confirmWithProvider(
  payment: { planId: string; scope: string; body: RepaymentRequest },
  next: NextAction,
  send: Sender,
  sheetBody: HTMLElement,
  close: () => void,
): Promise<void> {
  if (next.type === 'redirect') {
    const held = send.held();
    if (held) pending.savePayment({ ...payment, ...held });
    replace(sheetBody, h('p', { class: 'lead', role: 'status' }, t('repay.confirming')));
    redirectTo(next.url);
    return;
  }
  if (next.type === 'stripe_sdk') {
    const key = publishableKey(next);
    if (!key) throw new Error(t('provider.cardsUnavailable'));
    // Whatever Stripe.js reports, the payment's own answer (asked of the provider) is the result.
    await (await stripe(key)).handleNextAction({ clientSecret: next.clientSecret });
    close();
    await resumePayment(payment, send, 1);
    return;
  }
  replace(sheetBody, qrPayload(next.payload));
  await resumePayment(payment, send, 60, close);
}

/**
 * Sends a payment that waited for the customer's confirmation again, with its key, until the
 * provider has an answer (at most `tries` times), and shows it on the order page.
 */
async function resumePayment(payment: { planId: string; scope: string; body: RepaymentRequest }, send: Sender, tries: number, close?: () => void): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (i > 0) await sleep(2000);
    let answer: { status: number; body: RepaymentAnswer };
    try {
      answer = await repay(send, payment.planId, payment.body);
    } catch (err) {
      close?.();
      if (err instanceof ApiError && err.retryable) {
        const held = send.held();
        if (held) pending.savePayment({ ...payment, ...held });
      }
      renderPlan(await fetchPlan(payment.planId));
      showPaymentResult(errorBox(err, err instanceof ApiError && err.retryable ? () => void resumeKept(payment.planId) : undefined), 'payment-result');
      return;
    }
    if (answer.body.status === 'succeeded') {
      close?.();
      paid(answer.body);
      return;
    }
  }
  close?.();
  const held = send.held();
  if (held) pending.savePayment({ ...payment, ...held });
  showPaymentResult(
    h(
      'div',
      { class: 'alert alert--warning', role: 'status', id: 'payment-result' },
      h('p', null, t('repay.confirmPending')),
      h('button', { type: 'button', class: 'btn btn--small', id: 'payment-check', onclick: () => void resumeKept(payment.planId) }, t('repay.checkAgain')),
    ),
  );
}

/** Back from the provider's page: the payment kept for this plan is sent again with its key. */
async function resumeKept(planId: string): Promise<void> {
  const kept = pending.peekPayment();
  if (!kept || kept.planId !== planId) return;
  pending.takePayment();
  const send = sender(planId, `repay:${kept.scope}`);
  send.hold({ key: kept.key, fingerprint: kept.fingerprint });
  showPaymentResult(h('div', { class: 'alert', role: 'status', id: 'payment-result' }, t('repay.checking')));
  // Written by this page before the redirect (sessionStorage survives it).
  await resumePayment({ ...kept, body: kept.body as RepaymentRequest }, send, 3);
}

/** Shows the outcome of a payment under the page header, replacing an earlier one. */
function showPaymentResult(box: HTMLElement, id = 'payment-result'): void {
  box.id = id;
  document.getElementById(id)?.remove();
  const header = main().querySelector('.page-header');
  if (header) header.after(box);
  else main().prepend(box);
}

/** Defer one upcoming period; a refusal (409) shows its reason in the sheet. */
function deferSheet(plan: Plan): void {
  const send = sender(plan.planId, 'defer');
  const candidates = plan.installments.filter((i) => i.status === 'scheduled' || i.status === 'due' || i.status === 'failed');
  sheet(t('defer.title'), (close) => {
    if (candidates.length === 0) return h('p', { class: 'sheet__content' }, t('defer.nothing'));
    const errors = errorSlot();
    const period = h(
      'select',
      { name: 'period', id: 'defer-period' },
      candidates.map((i) => h('option', { value: i.period }, `${fmt.periods([i.period])} · ${fmt.date(i.dueDate)}`)),
    );
    const days = h('input', { type: 'number', name: 'days', id: 'defer-days', min: 1, max: 30, value: 7, required: true, inputmode: 'numeric' });
    const submit = h('button', { type: 'submit', class: 'btn btn--primary btn--block', id: 'defer-submit' }, t('defer.submit'));
    return h(
      'form',
      {
        class: 'stack sheet__content',
        onsubmit: (e: Event) => {
          e.preventDefault();
          errors.clear();
          const request = { period: Number(period.value), days: Number(days.value) };
          void busy(submit, t('common.loading'), async () => {
            try {
              const { body: updated } = await send({ planId: plan.planId, body: request }, (key) =>
                client.POST('/v1/plans/{planId}/deferrals', { params: { path: { planId: plan.planId }, header: { 'idempotency-key': key } }, body: request }),
              );
              close();
              const moved = updated.installments.find((i) => i.period === request.period);
              toast(t('defer.success', { period: request.period, date: moved ? fmt.date(moved.dueDate) : '' }));
              renderPlan(updated);
            } catch (err) {
              errors.show(err instanceof ApiError && err.status === 409 ? new Error(t('defer.refused', { reason: refusalReason(err) })) : err);
              errors.el.append(extensionRequestLink(err, { planId: plan.planId, ...request }, close) ?? '');
            }
          });
        },
      },
      h('p', { class: 'lead' }, t('defer.lead')),
      field(t('defer.period'), period),
      field(t('defer.days'), days),
      errors.el,
      h('div', { class: 'sheet__actions' }, h('button', { type: 'button', class: 'btn btn--ghost', onclick: close }, t('common.cancel')), submit),
    );
  });
}
