/**
 * Payment methods: list (masked, default first), add one through the provider's own
 * authorisation (as the default or as a fallback), make another one the default, unbind.
 * Binding or choosing a method also retries an installment that a declined method left waiting.
 */

import type { PaymentMethod, PaymentMethodType, PaymentSetupStarted } from '../api.ts';
import { client, idempotentAction, read, readWithStatus } from '../api.ts';
import { h, replace } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { icon } from '../icons.ts';
import { pending, publishableKey, qrPayload, redirectTo, sleep, stripe } from '../provider.ts';
import type { PageContext } from '../router.ts';
import { customerId } from '../session.ts';
import { main } from '../shell.ts';
import { busy, errorBox, errorSlot, field, loading, pageHeader, toast } from '../ui.ts';

const TYPES: PaymentMethodType[] = ['bank_card', 'alipay', 'wechat_pay'];

export async function methodsPage({ signal, query }: PageContext): Promise<void> {
  const listEl = h('div', { id: 'methods' }, loading());
  const refresh = async () => {
    try {
      const { items } = await read(client.GET('/v1/customers/{id}/payment-methods', { params: { path: { id: customerId() } }, signal }));
      replace(
        listEl,
        items.length === 0
          ? h('p', { class: 'empty card' }, t('methods.empty'))
          : [
              h('p', { class: 'muted small' }, t('methods.fallbackNote')),
              h(
                'ul',
                { class: 'methods' },
                items.map((m) => methodRow(m, refresh)),
              ),
            ],
      );
    } catch (err) {
      if (!signal.aborted)
        replace(
          listEl,
          errorBox(err, () => void refresh()),
        );
    }
  };
  const add = addMethod(refresh, signal);
  replace(main(), pageHeader(t('methods.title')), listEl, add);
  await refresh();
  // Back from the provider's page: complete the setup started before leaving.
  const returned = query.get('setup_intent');
  if (returned) {
    history.replaceState(null, '', '/methods');
    // The API asks the provider about it and only completes the signed-in customer's own setup,
    // so a return without the kept note (another tab) completes it too.
    pending.takeSetup();
    const errors = errorSlot();
    add.append(errors.el);
    await completeSetup(returned, { refresh, errors, signal, polls: 5 });
  }
}

function methodRow(m: PaymentMethod, refresh: () => Promise<void>): HTMLElement {
  const errors = errorSlot();
  const unbind = h('button', { type: 'button', class: 'btn btn--ghost btn--small', 'data-action': 'unbind' }, t('methods.unbind'));
  unbind.addEventListener('click', () => {
    if (!window.confirm(t('methods.unbindConfirm', { display: m.display }))) return;
    void busy(unbind, t('common.loading'), async () => {
      try {
        await read(client.DELETE('/v1/customers/{id}/payment-methods/{pmId}', { params: { path: { id: customerId(), pmId: m.id } } }));
        toast(t('methods.unbound', { display: m.display }));
        await refresh();
      } catch (err) {
        errors.show(err);
      }
    });
  });
  const makeDefault = m.isDefault ? null : h('button', { type: 'button', class: 'btn btn--ghost btn--small', 'data-action': 'make-default' }, t('methods.makeDefault'));
  makeDefault?.addEventListener('click', () => {
    void busy(makeDefault, t('common.loading'), async () => {
      try {
        await read(client.PATCH('/v1/customers/{id}/payment-methods/{pmId}', { params: { path: { id: customerId(), pmId: m.id } }, body: { makeDefault: true } }));
        toast(t('methods.madeDefault', { display: m.display }));
        await refresh();
      } catch (err) {
        errors.show(err);
      }
    });
  });
  return h(
    'li',
    { class: `method card method--${m.type}`, 'data-method': m.id },
    h('span', { class: `method__icon method__icon--${m.type}`, 'aria-hidden': 'true' }, m.type === 'bank_card' ? icon('methods', 24) : m.type === 'alipay' ? '支' : '微'),
    h('div', { class: 'method__text' }, h('strong', null, m.display), h('small', { class: 'muted' }, label('type', m.type))),
    h('div', { class: 'method__actions' }, m.isDefault ? h('span', { class: 'badge badge--default' }, t('methods.default')) : makeDefault, unbind),
    errors.el,
  );
}

type SetupStarted = PaymentSetupStarted;

/**
 * Adding a method goes through the provider's own authorisation: start a setup, carry out the
 * provider's next step (Stripe.js card form, the provider's signing page, a QR code), then ask
 * the API to complete it — the API asks the provider, so nothing the browser says binds a method.
 */
function addMethod(refresh: () => Promise<void>, signal: AbortSignal): HTMLElement {
  const send = idempotentAction();
  const errors = errorSlot();
  const step = h('div', { id: 'setup-step' });
  const makeDefault = h('input', { type: 'checkbox', name: 'makeDefault', id: 'bind-default' });
  const buttons = TYPES.map((type) => h('button', { type: 'button', class: 'btn', id: `add-${type}`, 'data-type': type }, t(`methods.add.${type}`)));
  for (const button of buttons) {
    button.addEventListener('click', () => {
      errors.clear();
      replace(step);
      void busy(button, t('common.loading'), async () => {
        try {
          const body = { type: button.dataset.type as PaymentMethodType, makeDefault: makeDefault.checked, returnUrl: '/methods' };
          const { body: started } = await send(body, (key) =>
            client.POST('/v1/customers/{id}/payment-methods/setup', { params: { path: { id: customerId() }, header: { 'idempotency-key': key } }, body }),
          );
          await carryOut(started);
        } catch (err) {
          errors.show(err);
        }
      });
    });
  }

  async function carryOut(started: SetupStarted): Promise<void> {
    const next = started.next;
    if (next.type === 'redirect') {
      pending.saveSetup({ customerId: customerId(), setupId: started.setupId });
      redirectTo(next.url);
      return;
    }
    if (next.type === 'qr_code') {
      replace(step, qrPayload(next.payload));
      await completeSetup(started.setupId, { refresh, errors, signal, polls: 60 });
      replace(step);
      return;
    }
    const key = publishableKey(next);
    if (!key) throw new Error(t('provider.cardsUnavailable'));
    const stripeJs = await stripe(key);
    const mount = h('div', { class: 'card-element', id: 'card-element' });
    const save = h('button', { type: 'button', class: 'btn btn--primary', id: 'card-save' }, t('methods.saveCard'));
    replace(step, field(t('methods.cardDetails'), mount), save);
    const card = stripeJs.elements().create('card', { hidePostalCode: true });
    card.mount(mount);
    save.addEventListener('click', () => {
      errors.clear();
      void busy(save, t('common.loading'), async () => {
        const confirmed = await stripeJs.confirmCardSetup(next.clientSecret, { payment_method: { card } });
        if (confirmed.error) {
          errors.show(new Error(confirmed.error.message ?? t('provider.setupFailed')));
          return;
        }
        if (await completeSetup(started.setupId, { refresh, errors, signal, polls: 10 })) {
          card.destroy();
          replace(step);
        }
      });
    });
  }

  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'bind-title' },
    h('h2', { id: 'bind-title', class: 'section-title' }, t('methods.bindTitle')),
    h('p', { class: 'muted small' }, t('methods.bindLead')),
    h('div', { class: 'stack', id: 'bind-form' }, h('div', { class: 'actions' }, buttons), h('label', { class: 'check' }, makeDefault, t('methods.setDefault')), step, errors.el),
  );
}

/**
 * Asks the API to complete a setup until the provider has answered: true once the method is
 * bound (shown in the list), false when the provider refused it or it is still waiting.
 */
async function completeSetup(
  setupId: string,
  options: { refresh: () => Promise<void>; errors: ReturnType<typeof errorSlot>; signal: AbortSignal; polls: number },
): Promise<boolean> {
  for (let i = 0; i < options.polls && !options.signal.aborted; i++) {
    try {
      const done = await readWithStatus(client.POST('/v1/customers/{id}/payment-methods/setup/{setupId}/complete', { params: { path: { id: customerId(), setupId } } }));
      if (done.body.status === 'active') {
        toast(t('methods.bound', { display: done.body.paymentMethod.display }));
        await options.refresh();
        return true;
      }
    } catch (err) {
      options.errors.show(err);
      return false;
    }
    await sleep(2000, options.signal);
  }
  if (!options.signal.aborted) options.errors.show(new Error(t('provider.stillWaiting')));
  return false;
}
