/**
 * Where the portal's bearer token comes from — the one file to change for another identity
 * provider. Everything else in the portal only calls `currentIdentity()` and `signOut()`.
 *
 * - Deployed: the portal's origin serves `/auth-config.json` (written by the CDK app next to
 *   the portal). The browser signs in at the identity provider (the Cognito hosted UI: phone
 *   number and a code by SMS) with the authorization code flow and PKCE through `oidc-client-ts`,
 *   comes back to `/signin/callback`, and keeps the access token, renewed with the refresh token
 *   before it expires. Sign-out ends the provider's session too.
 * - Locally (no `/auth-config.json`): the stack's `POST /local/token` stands in for the provider
 *   and the sign-in page lets you pick a customer (`GET /local/customers`).
 *
 * The token lives in sessionStorage: it ends with the tab and is never sent anywhere but the
 * portal's own origin.
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';

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

/** `/auth-config.json`, as infra/aws/constructs/portal-sign-in.ts writes it. */
export interface AuthConfig {
  authority: string;
  clientId: string;
  redirectPath: string;
  postLogoutPath: string;
  scope: string;
  /** Where the provider ends its session when its discovery document does not say (Cognito). */
  endSessionEndpoint?: string;
}

const STORAGE_KEY = 'repayflow.token';

let oidc: { manager: UserManager; config: AuthConfig } | undefined;

/** Local mode offers a customer picker; a real identity provider has its own sign-in page. */
export let canPickAccount = true;

/**
 * Called once at boot, before anything reads the identity: finds out which mode this is,
 * completes a sign-in the provider sent the browser back from, and renews an expired token.
 * Returns where to go after a completed sign-in.
 */
export async function startIdentity(): Promise<string | undefined> {
  const config = await loadAuthConfig();
  if (!config) return undefined;
  canPickAccount = false;
  const origin = location.origin;
  const manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${origin}${config.redirectPath}`,
    post_logout_redirect_uri: `${origin}${config.postLogoutPath}`,
    response_type: 'code',
    scope: config.scope,
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    ...(config.endSessionEndpoint ? { metadataSeed: { end_session_endpoint: config.endSessionEndpoint } } : {}),
  });
  oidc = { manager, config };
  manager.events.addUserLoaded(keep);
  manager.events.addUserSignedOut(() => sessionStorage.removeItem(STORAGE_KEY));

  if (location.pathname === config.redirectPath) {
    const user = await manager.signinRedirectCallback();
    keep(user);
    const next = (user.state as { next?: unknown } | undefined)?.next;
    return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  }
  const user = await manager.getUser();
  if (user?.expired && user.refresh_token) {
    // Renews with the refresh token (no page visit); a refused refresh means signing in again.
    keep(await manager.signinSilent().catch(() => null));
  } else if (user && !user.expired) keep(user);
  return undefined;
}

async function loadAuthConfig(): Promise<AuthConfig | undefined> {
  try {
    const res = await fetch('/auth-config.json', { cache: 'no-store' });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return undefined;
    const config = (await res.json()) as Partial<AuthConfig>;
    if (typeof config.authority !== 'string' || typeof config.clientId !== 'string') return undefined;
    return { redirectPath: '/signin/callback', postLogoutPath: '/signin', scope: 'openid', ...config } as AuthConfig;
  } catch {
    return undefined;
  }
}

function keep(user: User | null): void {
  if (user?.access_token) sessionStorage.setItem(STORAGE_KEY, user.access_token);
  else sessionStorage.removeItem(STORAGE_KEY);
}

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

/** Deployed: sends the browser to the identity provider's sign-in page; back at `next` after it. */
export async function signInWithProvider(next: string | undefined): Promise<void> {
  if (!oidc) throw new Error('no identity provider is configured');
  await oidc.manager.signinRedirect({ state: { next: next ?? '/' } });
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

/** Forgets the token; deployed, also ends the provider's session (and comes back to the sign-in page). */
export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  if (!oidc) return;
  const { manager, config } = oidc;
  // Cognito's /logout takes client_id and logout_uri; standard providers read post_logout_redirect_uri.
  void manager.signoutRedirect({ extraQueryParams: { client_id: config.clientId, logout_uri: `${location.origin}${config.postLogoutPath}` } }).catch(() => manager.removeUser());
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
    // Local tokens carry roles; deployed, only the Cognito admin group shows the ops view (the API decides anyway).
    const roles = [oidc ? undefined : claims.roles, claims['cognito:groups']].flatMap((r) => (Array.isArray(r) ? r.map(String) : []));
    return { token, sub: claims.sub, admin: roles.includes('admin'), expiresAt: typeof claims.exp === 'number' ? claims.exp : Number.MAX_SAFE_INTEGER };
  } catch {
    return undefined;
  }
}
