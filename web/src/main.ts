/**
 * The customer portal (and a small ops view). Boot: pick the language, sign in from
 * `/?customer=<id>` when asked to (local mode), load the profile, then route.
 */
import { setUnauthorizedHandler } from './api.ts';
import { h, replace } from './dom.ts';
import { browserLocale, chosenLocale, setLocale, t } from './i18n.ts';
import { currentIdentity, signInAs, startIdentity } from './identity.ts';
import { methodsPage } from './pages/methods.ts';
import { noticesPage } from './pages/notices.ts';
import { opsPage } from './pages/ops.ts';
import { opsConsolePage } from './pages/ops-console.ts';
import { opsListsPage } from './pages/ops-lists.ts';
import { orderPage } from './pages/order.ts';
import { ordersPage } from './pages/orders.ts';
import { receiptPage } from './pages/receipt.ts';
import { recordsPage } from './pages/records.ts';
import { settingsPage } from './pages/settings.ts';
import { signInPage } from './pages/signin.ts';
import { casePage, newCasePage, supportListPage } from './pages/support.ts';
import { inboxCasePage, supportInboxPage } from './pages/support-inbox.ts';
import { pending } from './provider.ts';
import { guard, navigate, notFound, type Page, route, startRouter } from './router.ts';
import { loadProfile, session, signOut } from './session.ts';
import { main, markCurrent, renderShell } from './shell.ts';
import { pageHeader } from './ui.ts';

/** Every page: mark the navigation, move focus to the new content for screen readers. */
const page =
  (render: Page): Page =>
  async (ctx) => {
    markCurrent();
    window.scrollTo(0, 0);
    await render(ctx);
    if (!ctx.signal.aborted) main().focus({ preventScroll: true });
  };

async function boot(): Promise<void> {
  setLocale(chosenLocale() ?? browserLocale());
  const params = new URLSearchParams(location.search);
  const asCustomer = params.get('customer');
  let bootError: unknown;
  // Deployed: completes a sign-in the identity provider sent the browser back from.
  try {
    const returnTo = await startIdentity();
    if (returnTo) history.replaceState(null, '', returnTo);
  } catch (err) {
    bootError = err;
  }
  if (asCustomer && location.pathname === '/') {
    try {
      await signInAs(asCustomer);
    } catch (err) {
      bootError = err;
    }
    history.replaceState(null, '', '/orders');
  }
  try {
    await loadProfile();
  } catch (err) {
    bootError ??= err;
    signOut();
  }
  renderShell();
  if (bootError) {
    history.replaceState(null, '', '/signin');
  }

  // Back from the provider's confirmation page (3-D Secure, a wallet password): to the order whose payment waits.
  if (location.pathname === '/' && params.has('payment_intent')) {
    const kept = pending.peekPayment();
    history.replaceState(null, '', kept ? `/orders/${encodeURIComponent(kept.planId)}` : '/');
  }

  setUnauthorizedHandler(() => {
    signOut();
    renderShell();
    navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  });

  guard((path) => {
    const identity = currentIdentity();
    if (path === '/signin') return undefined;
    if (!identity) return path === '/' ? '/signin' : `/signin?next=${encodeURIComponent(path + location.search)}`;
    if (path === '/') return identity.admin ? '/ops' : '/orders';
    return undefined;
  });
  route('/signin', page(signInPage));
  route('/orders', page(ordersPage));
  route('/orders/:planId', page(orderPage));
  route('/orders/:planId/records', page(recordsPage));
  route('/orders/:planId/receipts/:repaymentId', page(receiptPage));
  route('/methods', page(methodsPage));
  route('/notices', page(noticesPage));
  route('/settings', page(settingsPage));
  route('/ops', page(opsPage));
  route('/support', page(supportListPage));
  route('/support/new', page(newCasePage));
  route('/support/:caseId', page(casePage));
  route('/support-inbox', page(supportInboxPage));
  route('/support-inbox/:caseId', page(inboxCasePage));
  route('/ops/console', page(opsConsolePage));
  route('/ops/lists', page(opsListsPage));
  notFound(page(async () => replace(main(), pageHeader(t('error.notFound')), h('p', null, h('a', { href: '/', 'data-route': true }, t('nav.orders'))))));
  if (bootError) session.signInError = bootError;
  startRouter();
}

void boot();
