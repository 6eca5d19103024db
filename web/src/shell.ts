/** The frame around every page: header with the language switcher, navigation, toasts. */

import type { Locale } from './api.ts';
import { h, link, replace } from './dom.ts';
import { chooseLocale, LOCALE_NAMES, LOCALES, locale, type MessageKey, t } from './i18n.ts';
import { type IconName, icon } from './icons.ts';
import { navigate, render } from './router.ts';
import { session, signOut } from './session.ts';

const NAV: Array<{ href: string; key: MessageKey; short: MessageKey; icon: IconName }> = [
  { href: '/orders', key: 'nav.orders', short: 'tab.orders', icon: 'orders' },
  { href: '/methods', key: 'nav.methods', short: 'tab.methods', icon: 'methods' },
  { href: '/notices', key: 'nav.notices', short: 'tab.notices', icon: 'notices' },
  { href: '/settings', key: 'nav.settings', short: 'tab.settings', icon: 'settings' },
  { href: '/support', key: 'nav.support', short: 'tab.support', icon: 'support' },
];
const ADMIN_NAV: typeof NAV = [
  { href: '/ops', key: 'nav.ops', short: 'nav.ops', icon: 'ops' },
  { href: '/support-inbox', key: 'nav.inbox', short: 'nav.support', icon: 'inbox' },
];

export function main(): HTMLElement {
  return document.getElementById('main') as HTMLElement;
}

export function renderShell(): void {
  const app = document.getElementById('app') as HTMLElement;
  const identity = session.identity;
  const items = identity?.admin ? ADMIN_NAV : identity ? NAV : [];
  const switcher = h(
    'select',
    {
      id: 'locale-switcher',
      class: 'locale-switcher',
      'aria-label': t('locale.label'),
      onchange: (e: Event) => {
        chooseLocale((e.target as HTMLSelectElement).value as Locale);
        renderShell();
        void render();
      },
    },
    LOCALES.map((l) => h('option', { value: l, selected: l === locale() }, LOCALE_NAMES[l])),
  );
  const nav = (cls: string) =>
    h(
      'nav',
      { class: cls, 'aria-label': t('nav.main') },
      h(
        'ul',
        null,
        items.map((i) =>
          h(
            'li',
            null,
            link(
              i.href,
              { class: 'nav-link', 'data-nav': i.href },
              h('span', { class: 'nav-icon', 'aria-hidden': 'true' }, icon(i.icon, 22)),
              h('span', { class: 'nav-long' }, t(i.key)),
              h('span', { class: 'nav-short', 'aria-hidden': 'true' }, t(i.short)),
            ),
          ),
        ),
      ),
    );
  replace(
    app,
    h('a', { class: 'skip-link', href: '#main' }, t('nav.main')),
    h(
      'header',
      { class: 'topbar' },
      h(
        'div',
        { class: 'topbar__inner' },
        link(identity?.admin ? '/ops' : '/orders', { class: 'brand' }, h('span', { class: 'brand__mark', 'aria-hidden': 'true' }, '¥'), t('app.name')),
        items.length ? nav('topnav') : null,
        h(
          'div',
          { class: 'topbar__tools' },
          switcher,
          identity
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'btn btn--ghost btn--small',
                  id: 'sign-out',
                  onclick: () => {
                    signOut();
                    renderShell();
                    navigate('/signin');
                  },
                },
                t('nav.signOut'),
              )
            : null,
        ),
      ),
    ),
    h('main', { id: 'main', tabindex: '-1' }),
    items.length ? nav('tabbar') : null,
    h('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite' }),
  );
  markCurrent();
}

/** Highlights the navigation entry of the current page (`aria-current`). */
export function markCurrent(): void {
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-nav]')) {
    const active = location.pathname === a.dataset.nav || location.pathname.startsWith(`${a.dataset.nav}/`);
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}
