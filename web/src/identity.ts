/**
 * Where the portal's bearer token comes from — the one file to change for another identity
 * provider. Locally the stack's `POST /local/token` stands in for the provider and the sign-in
 * page lets you pick a customer (`GET /local/customers`). On AWS this module would send the
 * browser to the Cognito hosted UI (authorization code + PKCE) and keep the access token it
 * returns; everything else in the portal only calls `currentIdentity()` and `signOut()`.
 *
 * The token lives in sessionStorage: it ends with the tab and is never sent anywhere but the
 * portal's own origin.
 */
export interface Identity {
  token: string;
  /** The customer id (the token's `sub`). */
  sub: string;
  admin: boolean;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export interface Account {
  id: string;
  name: string;
  locale: string;
}

const STORAGE_KEY = 'repayflow.token';

/** Local mode offers a customer picker; a real identity provider has its own sign-in page. */
export const canPickAccount = true;

export function currentIdentity(): Identity | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return undefined;
  const identity = decode(token);
  if (!identity || identity.expiresAt * 1000 <= Date.now()) {
    sessionStorage.removeItem(STORAGE_KEY);
    return undefined;
  }
  return identity;
}

/** Local stand-in for the identity provider: a token for `customerId`. */
export async function signInAs(customerId: string): Promise<Identity> {
  return issue({ sub: customerId });
}

/** Local stand-in for staff sign-in: an admin token for the ops view. */
export async function signInAsOps(): Promise<Identity> {
  return issue({ sub: 'ops', roles: ['admin'] });
}

/** Customers to pick from on the local sign-in page. */
export async function listAccounts(): Promise<Account[]> {
  const res = await fetch('/local/customers');
  if (!res.ok) return [];
  return ((await res.json()) as { items: Account[] }).items;
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

async function issue(body: { sub: string; roles?: string[] }): Promise<Identity> {
  const res = await fetch('/local/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const payload = (await res.json().catch(() => ({}))) as { token?: string; detail?: string };
  if (!res.ok || !payload.token) throw new Error(payload.detail ?? `sign-in failed (${res.status})`);
  const identity = decode(payload.token);
  if (!identity) throw new Error('sign-in returned an unreadable token');
  sessionStorage.setItem(STORAGE_KEY, payload.token);
  return identity;
}

/** Reads (does not verify: the API does) the claims the portal needs. */
function decode(token: string): Identity | undefined {
  try {
    const part = token.split('.')[1] ?? '';
    const json = new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as { sub?: unknown; roles?: unknown; 'cognito:groups'?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string') return undefined;
    const roles = [claims.roles, claims['cognito:groups']].flatMap((r) => (Array.isArray(r) ? r.map(String) : []));
    return { token, sub: claims.sub, admin: roles.includes('admin'), expiresAt: typeof claims.exp === 'number' ? claims.exp : Number.MAX_SAFE_INTEGER };
  } catch {
    return undefined;
  }
}
