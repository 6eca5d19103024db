/** Notification preferences and locale: `PATCH /v1/customers/{id}`. */

import type { Customer, Locale } from '../api.ts';
import { client, read } from '../api.ts';
import { h, replace } from '../dom.ts';
import { chooseLocale, LOCALE_NAMES, LOCALES, t } from '../i18n.ts';
import type { PageContext } from '../router.ts';
import { render } from '../router.ts';
import { customerId, loadProfile, session } from '../session.ts';
import { main, renderShell } from '../shell.ts';
import { definition, errorBox, errorSlot, loading, pageHeader, toast } from '../ui.ts';

export async function settingsPage({ signal }: PageContext): Promise<void> {
  replace(main(), pageHeader(t('settings.title')), loading());
  try {
    if (!session.customer) await loadProfile();
  } catch (err) {
    if (!signal.aborted)
      replace(
        main(),
        pageHeader(t('settings.title')),
        errorBox(err, () => void settingsPage({ signal, params: {}, query: new URLSearchParams() })),
      );
    return;
  }
  const c = session.customer as Customer;
  const errors = errorSlot();
  const save = async (changes: Partial<Pick<Customer, 'locale'>> & { notifications?: Partial<Customer['notifications']> }) => {
    errors.clear();
    try {
      session.customer = await read(client.PATCH('/v1/customers/{id}', { params: { path: { id: customerId() } }, body: changes }));
      toast(t('common.saved'));
      return true;
    } catch (err) {
      errors.show(err);
      return false;
    }
  };
  const toggle = (channel: 'sms' | 'email', text: string, hint?: string) => {
    const input = h('input', { type: 'checkbox', role: 'switch', id: `notify-${channel}`, checked: c.notifications[channel] });
    input.addEventListener('change', async () => {
      if (!(await save({ notifications: { [channel]: input.checked } }))) input.checked = !input.checked;
    });
    return h(
      'label',
      { class: 'switch-row' },
      h('span', null, h('span', null, text), hint ? h('small', { class: 'muted' }, hint) : null),
      input,
      h('span', { class: 'switch', 'aria-hidden': 'true' }),
    );
  };
  const localeSelect = h(
    'select',
    { id: 'profile-locale', name: 'locale' },
    LOCALES.map((l) => h('option', { value: l, selected: l === c.locale }, LOCALE_NAMES[l])),
  );
  localeSelect.addEventListener('change', async () => {
    const next = localeSelect.value as Locale;
    if (await save({ locale: next })) {
      chooseLocale(next);
      renderShell();
      void render();
    } else localeSelect.value = c.locale;
  });
  replace(
    main(),
    pageHeader(t('settings.title')),
    errors.el,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'notify-title' },
      h('h2', { id: 'notify-title', class: 'section-title' }, t('settings.notifications')),
      toggle('sms', t('settings.sms'), t('settings.smsHint')),
      toggle('email', t('settings.email')),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'lang-title' },
      h('h2', { id: 'lang-title', class: 'section-title' }, h('label', { for: 'profile-locale' }, t('settings.language'))),
      localeSelect,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'profile-title' },
      h('h2', { id: 'profile-title', class: 'section-title' }, t('settings.profile')),
      definition([
        [t('signin.customerId'), c.id],
        [t('settings.phone'), c.phone],
        ...(c.email ? [[t('settings.email'), c.email] as [string, string]] : []),
        [t('settings.timeZone'), c.timeZone],
      ]),
    ),
  );
}
