/**
 * Payment methods: list (masked, default first), bind (provider token + masked display, as
 * the default or as a fallback), make another one the default, unbind. Binding or choosing a
 * method also retries an installment that a declined method left waiting.
 */
import { api, idempotentAction } from '../api.ts';
import { h, replace } from '../dom.ts';
import { label, t } from '../i18n.ts';
import type { PageContext } from '../router.ts';
import { customerId } from '../session.ts';
import { main } from '../shell.ts';
import type { PaymentMethod, PaymentMethodType } from '../types.ts';
import { busy, errorBox, errorSlot, field, loading, pageHeader, toast } from '../ui.ts';

const TYPES: PaymentMethodType[] = ['bank_card', 'alipay', 'wechat_pay'];

export async function methodsPage({ signal }: PageContext): Promise<void> {
  const base = `/v1/customers/${encodeURIComponent(customerId())}/payment-methods`;
  const listEl = h('div', { id: 'methods' }, loading());
  const refresh = async () => {
    try {
      const { items } = await api<{ items: PaymentMethod[] }>('GET', base, { signal });
      replace(listEl, items.length === 0 ? h('p', { class: 'empty card' }, t('methods.empty')) : [h('p', { class: 'muted small' }, t('methods.fallbackNote')), h('ul', { class: 'methods' }, items.map((m) => methodRow(m, base, refresh)))]);
    } catch (err) {
      if (!signal.aborted) replace(listEl, errorBox(err, () => void refresh()));
    }
  };
  replace(main(), pageHeader(t('methods.title')), listEl, bindForm(base, refresh));
  await refresh();
}

function methodRow(m: PaymentMethod, base: string, refresh: () => Promise<void>): HTMLElement {
  const errors = errorSlot();
  const unbind = h('button', { type: 'button', class: 'btn btn--ghost btn--small', 'data-action': 'unbind' }, t('methods.unbind'));
  unbind.addEventListener('click', () => {
    if (!window.confirm(t('methods.unbindConfirm', { display: m.display }))) return;
    void busy(unbind, t('common.loading'), async () => {
      try {
        await api('DELETE', `${base}/${encodeURIComponent(m.id)}`);
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
        await api('PATCH', `${base}/${encodeURIComponent(m.id)}`, { body: { makeDefault: true } });
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
    h('span', { class: `method__icon method__icon--${m.type}`, 'aria-hidden': 'true' }, m.type === 'bank_card' ? '▭' : m.type === 'alipay' ? '支' : '微'),
    h('div', { class: 'method__text' }, h('strong', null, m.display), h('small', { class: 'muted' }, label('type', m.type))),
    h('div', { class: 'method__actions' }, m.isDefault ? h('span', { class: 'badge badge--default' }, t('methods.default')) : makeDefault, unbind),
    errors.el,
  );
}

function bindForm(base: string, refresh: () => Promise<void>): HTMLElement {
  const send = idempotentAction();
  const errors = errorSlot();
  const type = h('select', { name: 'type', id: 'bind-type' }, TYPES.map((ty) => h('option', { value: ty }, label('type', ty))));
  const token = h('input', { name: 'token', id: 'bind-token', required: true, value: 'tok_ok', pattern: 'tok_[A-Za-z0-9_]{1,60}', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
  const display = h('input', { name: 'display', id: 'bind-display', required: true, maxlength: 40, placeholder: '招商银行 ****1234', autocomplete: 'off' });
  const makeDefault = h('input', { type: 'checkbox', name: 'makeDefault', id: 'bind-default' });
  const submit = h('button', { type: 'submit', class: 'btn btn--primary', id: 'bind-submit' }, t('methods.bind'));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'bind-title' },
    h('h2', { id: 'bind-title', class: 'section-title' }, t('methods.bindTitle')),
    h(
      'form',
      {
        class: 'stack',
        id: 'bind-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          errors.clear();
          const request = { type: type.value, token: token.value.trim(), display: display.value.trim(), makeDefault: makeDefault.checked };
          void busy(submit, t('common.loading'), async () => {
            try {
              const bound = await send<PaymentMethod>('POST', base, request);
              toast(t('methods.bound', { display: bound.display }));
              display.value = '';
              makeDefault.checked = false;
              await refresh();
            } catch (err) {
              errors.show(err);
            }
          });
        },
      },
      field(t('methods.type'), type),
      field(t('methods.token'), token, t('methods.tokenHint')),
      field(t('methods.display'), display, t('methods.displayHint')),
      h('label', { class: 'check' }, makeDefault, t('methods.setDefault')),
      errors.el,
      submit,
    ),
  );
}
