/**
 * Sign-in. Deployed: one button to the identity provider's sign-in page (phone number and a
 * code by SMS). Locally: pick a customer (the stand-in for the identity provider) or the ops view.
 */
import { h, replace } from '../dom.ts';
import { t } from '../i18n.ts';
import { canPickAccount, listAccounts, signInAs, signInAsOps, signInWithProvider } from '../identity.ts';
import type { PageContext } from '../router.ts';
import { navigate } from '../router.ts';
import { loadProfile, session } from '../session.ts';
import { main, renderShell } from '../shell.ts';
import { errorMessage, errorSlot, field, loading } from '../ui.ts';

export async function signInPage({ query }: PageContext): Promise<void> {
  const next = safeNext(query.get('next'));
  const errors = errorSlot();
  if (session.signInError) {
    const reason = session.signInError;
    session.signInError = undefined;
    errors.show(new Error(t('signin.failed', { reason: errorMessage(reason) })));
  }
  const list = h('ul', { class: 'account-list', 'aria-labelledby': 'accounts-title' });
  const input = h('input', { name: 'customer', autocomplete: 'username', required: true, spellcheck: 'false', autocapitalize: 'none' });

  const go = async (signIn: () => Promise<unknown>, to: string) => {
    errors.clear();
    try {
      await signIn();
      await loadProfile();
      renderShell();
      navigate(to, { replace: true });
    } catch (err) {
      errors.show(new Error(t('signin.failed', { reason: errorMessage(err) })));
    }
  };

  replace(
    main(),
    h(
      'section',
      { class: 'signin card' },
      h('div', { class: 'signin__brand', 'aria-hidden': 'true' }, '¥'),
      h('h1', { id: 'page-title' }, t('signin.title')),
      h('p', { class: 'muted' }, t(canPickAccount ? 'signin.lead' : 'signin.leadProvider')),
      errors.el,
      canPickAccount
        ? null
        : h(
            'p',
            null,
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn--primary',
                id: 'signin-provider',
                onclick: () => {
                  errors.clear();
                  signInWithProvider(next).catch((err: unknown) => errors.show(new Error(t('signin.failed', { reason: errorMessage(err) }))));
                },
              },
              t('signin.provider'),
            ),
          ),
      canPickAccount
        ? [
            h('h2', { id: 'accounts-title', class: 'section-title' }, t('signin.demo')),
            list,
            h(
              'form',
              {
                class: 'inline-form',
                onsubmit: (e: Event) => {
                  e.preventDefault();
                  const id = input.value.trim();
                  if (id) void go(() => signInAs(id), next ?? '/orders');
                },
              },
              field(t('signin.customerId'), input),
              h('button', { class: 'btn btn--primary', type: 'submit' }, t('signin.go')),
            ),
            h('p', { class: 'signin__ops' }, h('button', { type: 'button', class: 'btn btn--ghost', onclick: () => void go(signInAsOps, '/ops') }, t('signin.ops'))),
          ]
        : null,
    ),
  );

  if (!canPickAccount) return;
  replace(list, h('li', null, loading()));
  const accounts = await listAccounts();
  replace(
    list,
    accounts.length === 0
      ? h('li', { class: 'muted' }, t('signin.noCustomers'))
      : accounts.map((a) =>
          h(
            'li',
            null,
            h(
              'button',
              { type: 'button', class: 'account', 'data-customer': a.id, onclick: () => void go(() => signInAs(a.id), next ?? '/orders') },
              h('span', { class: 'avatar', 'aria-hidden': 'true' }, [...a.name][0] ?? '?'),
              h('span', { class: 'account__name' }, a.name),
              h('span', { class: 'account__id' }, `${a.id} · ${a.locale}`),
            ),
          ),
        ),
  );
}

/** Only same-origin paths, never `//evil.example`. */
function safeNext(next: string | null): string | undefined {
  return next?.startsWith('/') && !next.startsWith('//') ? next : undefined;
}
