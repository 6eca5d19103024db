/**
 * The deployed portal's sign-in, in a real browser: the portal built with an `auth-config.json`
 * (as the CDK app writes it) runs its real OIDC code (oidc-client-ts: authorization code with
 * PKCE, refresh token, sign-out) against a certified OpenID provider (oidc-provider) started
 * here, and the API verifies the provider's access tokens against its published keys.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/app.ts';
import { lambdaAuthenticator } from '../../functions/api/auth.ts';
import { listen } from '../../infra/local/server.ts';
import { buildPortal } from '../../web/build.ts';
import { aCustomer } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';
import { browserAvailable, CHROMIUM, eventually } from './support.ts';

const RESOURCE = 'https://api.repayflow.test';
const CLIENT_ID = 'portal';

/** The claims of the access token the portal keeps (read, not verified: the API verifies). */
const tokenClaims = (page: Page) =>
  page.evaluate(() => {
    const token = sessionStorage.getItem('repayflow.token');
    return token ? (JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>) : undefined;
  });

describe.skipIf(!browserAvailable())('Portal sign-in through an OpenID provider (authorization code + PKCE)', () => {
  let t: TestStack;
  let opServer: Server;
  let issuer: string;
  let portal: { url: string; close(): Promise<void> };
  let dist: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let customerId: string;

  beforeAll(async () => {
    // Prepare: the provider's address first (the portal's auth-config.json names it) …
    let provider: Provider | undefined;
    opServer = createServer((req, res) => (provider ? provider.callback()(req, res) : res.writeHead(503).end()));
    await new Promise<void>((resolve) => opServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(opServer.address() as { port: number }).port}`;

    // … the portal built as deployed, with the API trusting that provider's tokens …
    dist = await mkdtemp(path.join(os.tmpdir(), 'repayflow-portal-oidc-'));
    await buildPortal({ outdir: dist });
    await writeFile(
      path.join(dist, 'auth-config.json'),
      JSON.stringify({ authority: issuer, clientId: CLIENT_ID, redirectPath: '/signin/callback', postLogoutPath: '/signin', scope: 'openid repayflow' }),
    );
    t = await startTestStack();
    const api = createApi(t.stack.deps, lambdaAuthenticator({ jwtIssuer: issuer, jwtAudience: RESOURCE, adminScope: undefined }));
    portal = await listen(t.stack, 0, { webDist: dist, api });

    // … and the provider: one public client (PKCE), JWT access tokens for the API, refresh tokens.
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: [`${portal.url}/signin/callback`],
          post_logout_redirect_uris: [`${portal.url}/signin`],
        },
      ],
      jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
      cookies: { keys: [randomUUID()] },
      // Where Cognito publishes its keys, and where the API looks for an issuer's keys.
      routes: { jwks: '/.well-known/jwks.json' },
      scopes: ['openid', 'repayflow'],
      issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(grant: string): boolean }) => client.grantTypeAllowed('refresh_token'),
      ttl: { AccessToken: 600, IdToken: 600 },
      features: {
        resourceIndicators: {
          enabled: true,
          defaultResource: () => RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: 'repayflow', audience: RESOURCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
        },
      },
    });

    customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: 'Mei Chen', locale: 'en' }) })).body.id;
    profile = await mkdtemp(path.join(os.tmpdir(), 'repayflow-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (err) => console.error(`[portal] ${err.message}`));
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await portal?.close();
    await new Promise((resolve) => opServer?.close(resolve));
    await t?.stop();
    await rm(dist, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  });

  it('sends the customer to the provider and back, signed in with its access token, and the API accepts it', async () => {
    // Prepare
    const authorizations: URL[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${issuer}/auth?`)) authorizations.push(new URL(r.url()));
    });

    // Act
    await page.goto(`${portal.url}/orders`);
    await page.locator('#signin-provider').click();
    await page.waitForURL((url) => url.origin === issuer);
    await page.locator('input[name="login"]').fill(customerId);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent
    await page.waitForURL(`${portal.url}/orders`);

    // Assess: the code flow with PKCE (S256) and a state, a token about this customer for the API, pages that load
    expect(authorizations).toHaveLength(1);
    const sent = authorizations[0]!.searchParams;
    expect(sent.get('response_type')).toBe('code');
    expect(sent.get('client_id')).toBe(CLIENT_ID);
    expect(sent.get('code_challenge_method')).toBe('S256');
    expect(sent.get('code_challenge')?.length).toBeGreaterThanOrEqual(43);
    expect(sent.get('state')).toBeTruthy();
    const claims = await tokenClaims(page);
    expect(claims).toMatchObject({ sub: customerId, iss: issuer, aud: RESOURCE, client_id: CLIENT_ID });
    await eventually(() => page.locator('#sign-out').count()).toBe(1);
    const profileStatus = await page.evaluate(
      async () =>
        (
          await fetch(
            `/v1/customers/${encodeURIComponent(JSON.parse(atob(sessionStorage.getItem('repayflow.token')!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).sub)}`,
            { headers: { authorization: `Bearer ${sessionStorage.getItem('repayflow.token')}` } },
          )
        ).status,
    );
    expect(profileStatus).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/orders');
  });

  it('renews an expired access token with the refresh token, without visiting the provider', async () => {
    // Prepare: the access token has expired
    const before = await tokenClaims(page);
    await page.evaluate(() => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'))!;
      const user = JSON.parse(sessionStorage.getItem(key)!) as { expires_at: number; refresh_token?: string };
      if (!user.refresh_token) throw new Error('no refresh token was issued');
      user.expires_at = Math.floor(Date.now() / 1000) - 5;
      sessionStorage.setItem(key, JSON.stringify(user));
      sessionStorage.removeItem('repayflow.token');
    });
    const visits: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visits.push(frame.url());
    });

    // Act
    await page.reload();

    // Assess
    // A new token, not the moment between the old one's removal and the new one's arrival.
    await eventually(async () => {
      const jti = (await tokenClaims(page))?.jti;
      return jti !== undefined && jti !== before?.jti;
    }).toBe(true);
    expect((await tokenClaims(page))?.sub).toBe(customerId);
    expect(visits.filter((u) => u.startsWith(issuer))).toEqual([]);
    await eventually(() => page.locator('#sign-out').count()).toBe(1);
  });

  it('signs out at the provider too and comes back to the sign-in page with no token', async () => {
    // Act
    await page.locator('#sign-out').click();
    await page.waitForURL((url) => url.origin === issuer);
    await page.locator('button[name="logout"]').click();
    await page.waitForURL((url) => url.origin === portal.url && url.pathname === '/signin');

    // Assess
    expect(await tokenClaims(page)).toBeUndefined();
    await eventually(() => page.locator('#signin-provider').count()).toBe(1);
    // The provider's session ended: signing in again asks for the login
    await page.locator('#signin-provider').click();
    await page.waitForURL((url) => url.origin === issuer);
    await eventually(() => page.locator('input[name="login"]').count()).toBe(1);
  });
});
