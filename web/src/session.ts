/** Who is signed in, and their profile (locale, time zone) once loaded. */

import type { Customer } from './api.ts';
import { client, read } from './api.ts';
import { chosenLocale, setLocale } from './i18n.ts';
import { currentIdentity, signOut as forgetToken, type Identity } from './identity.ts';

export const session: { identity: Identity | undefined; customer: Customer | undefined; signInError?: unknown } = {
  identity: currentIdentity(),
  customer: undefined,
};

/** Where "my orders" is: the customer's list, or the ops view for staff. */
export function home(): string {
  return session.identity?.admin ? '/ops' : '/orders';
}

/** Loads the signed-in customer's profile and follows its locale (unless the switcher chose one). */
export async function loadProfile(): Promise<void> {
  session.identity = currentIdentity();
  session.customer = undefined;
  if (!session.identity || session.identity.admin) return;
  session.customer = await read(client.GET('/v1/customers/{id}', { params: { path: { id: session.identity.sub } } }));
  if (!chosenLocale()) setLocale(session.customer.locale);
}

export function customerId(): string {
  return session.identity?.sub ?? '';
}

/** The time zone instants are shown in: the customer's, else the browser's. */
export function timeZone(fallback?: string): string {
  return session.customer?.timeZone ?? fallback ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function signOut(): void {
  forgetToken();
  session.identity = undefined;
  session.customer = undefined;
}
