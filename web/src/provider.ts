/**
 * Carrying out a provider's next step (`NextAction` in the API): Stripe.js for cards (loaded
 * from js.stripe.com only when needed), a redirect to the provider's page (a wallet's signing
 * or password page; locally the simulated provider's stand-in page), or a QR code payload for
 * the wallet app. What must survive the redirect (the setup to complete, the payment to send
 * again with its Idempotency-Key) is kept in sessionStorage, which the tab keeps across it.
 */
import { h } from './dom.ts';
import { t } from './i18n.ts';

export type { NextAction } from './api.ts';

/** The small part of Stripe.js the portal uses. */
interface StripeCardElement {
  mount(el: HTMLElement): void;
  destroy(): void;
}
interface StripeJs {
  elements(): { create(kind: 'card', options?: Record<string, unknown>): StripeCardElement };
  confirmCardSetup(
    clientSecret: string,
    data: { payment_method: { card: StripeCardElement } },
  ): Promise<{ error?: { message?: string; code?: string }; setupIntent?: { status: string } }>;
  handleNextAction(options: { clientSecret: string }): Promise<{ error?: { message?: string; code?: string } }>;
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

export const STRIPE_JS = 'https://js.stripe.com/v3';
let loading: Promise<void> | undefined;

/** Stripe.js for this publishable key; it must be loaded from js.stripe.com (never bundled). */
export async function stripe(publishableKey: string): Promise<StripeJs> {
  loading ??= new Promise<void>((resolve, reject) => {
    const script = h('script', { src: STRIPE_JS, async: true });
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => {
      loading = undefined;
      reject(new Error(t('provider.stripeUnavailable')));
    });
    document.head.appendChild(script);
  });
  await loading;
  if (!window.Stripe) throw new Error(t('provider.stripeUnavailable'));
  return window.Stripe(publishableKey);
}

/** The publishable key of a `stripe_sdk` step, or the portal's configured one (`<meta name="stripe-publishable-key">`). */
export function publishableKey(next: { publishableKey?: string }): string | undefined {
  return next.publishableKey ?? document.querySelector<HTMLMetaElement>('meta[name="stripe-publishable-key"]')?.content ?? undefined;
}

/** Goes to the provider's page; what the portal needs on return is kept first. */
export function redirectTo(url: string): void {
  window.location.assign(url);
}

/** A QR code's payload for the wallet app, readable and, when it is a link, openable. */
export function qrPayload(payload: string): HTMLElement {
  const isLink = /^(https?|weixin|alipays?):\/\//i.test(payload);
  return h(
    'div',
    { class: 'qr', id: 'qr-payload' },
    h('p', null, t('provider.scan')),
    h('code', { class: 'qr__payload' }, payload),
    isLink ? h('p', null, h('a', { href: payload, rel: 'noopener noreferrer' }, t('provider.openApp'))) : null,
  );
}

const PENDING_SETUP = 'repayflow.pendingSetup';
const PENDING_PAYMENT = 'repayflow.pendingPayment';

export interface PendingSetup {
  customerId: string;
  setupId: string;
}

export interface PendingPayment {
  planId: string;
  scope: string;
  body: unknown;
  key: string;
  fingerprint: string;
}

export const pending = {
  saveSetup: (s: PendingSetup) => sessionStorage.setItem(PENDING_SETUP, JSON.stringify(s)),
  takeSetup: (): PendingSetup | undefined => take<PendingSetup>(PENDING_SETUP),
  savePayment: (p: PendingPayment) => sessionStorage.setItem(PENDING_PAYMENT, JSON.stringify(p)),
  /** The payment waiting for the customer's confirmation, without forgetting it. */
  peekPayment: (): PendingPayment | undefined => read<PendingPayment>(PENDING_PAYMENT),
  takePayment: (): PendingPayment | undefined => take<PendingPayment>(PENDING_PAYMENT),
};

function read<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function take<T>(key: string): T | undefined {
  const value = read<T>(key);
  sessionStorage.removeItem(key);
  return value;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = window.setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      window.clearTimeout(timer);
      resolve();
    });
  });
