/**
 * The local HTTP server: the v1 API (the same router as the Lambda), the local routes, and
 * the portal when it is built.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import type { createApi } from '../../functions/api/app.ts';
import { errorToProblem, problem } from '../../functions/api/problem.ts';
import { localRoutes } from './local-routes.ts';
import type { LocalStack } from './stack.ts';

/** Where `npm run build:web` (web/build.ts) writes the portal. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface LocalAppOptions {
  /** The built portal (default web/dist). */
  webDist?: string;
  /** The API to serve instead of the stack's own (tests: one that trusts another token issuer). */
  api?: ReturnType<typeof createApi>;
}

export function localApp(stack: LocalStack, options: LocalAppOptions = {}) {
  const app = new Hono();
  // The local routes fail like the API does: a problem+json answer, and the error in the stack's
  // structured (masking) log, never Hono's plain-text 500 and a raw stack on stderr.
  app.onError((err, c) => {
    const response = errorToProblem(err, c);
    if (response.status >= 500) stack.deps.logger.error('local request failed', { method: c.req.method, path: c.req.path, error: err });
    return response;
  });
  app.use('*', loopbackOnly());
  app.use('*', portal(options.webDist ?? WEB_DIST));
  app.route('/local', localRoutes(stack));
  app.route('/', options.api ?? stack.api);
  return app;
}

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.has(url.hostname) && url.origin === origin.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/**
 * The server listens on 127.0.0.1, but a web page can still reach it: through DNS rebinding (a
 * host name of the page's that resolves to 127.0.0.1, sent as `Host`) or a cross-site request
 * (sent with the page's `Origin`). Either could mint an admin token, so both are refused: the
 * `Host` must be loopback, and an `Origin`, when sent, a loopback origin.
 */
function loopbackOnly(): MiddlewareHandler {
  return async function refuseForeignCallers(c, next) {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!LOOPBACK_HOST.test(host)) {
      return problem(c, 403, { code: 'LOCAL.FORBIDDEN_HOST', detail: 'the local server answers only to localhost, 127.0.0.1 or [::1]' });
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && !isLoopbackOrigin(origin)) {
      return problem(c, 403, { code: 'LOCAL.FORBIDDEN_ORIGIN', detail: 'the local server answers only to pages served from a loopback origin' });
    }
    return next();
  };
}

/**
 * The portal's policy: its own origin, plus Stripe.js (script, its card and 3-D Secure frames,
 * its API) for binding cards and confirming card payments.
 */
export const PORTAL_CSP =
  "default-src 'self'; img-src 'self' data: https://*.stripe.com; style-src 'self'; script-src 'self' https://js.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** A built portal with `auth-config.json` (an identity provider) also talks to that provider. */
function portalCsp(authority: string | undefined): string {
  return authority ? PORTAL_CSP.replace("connect-src 'self'", `connect-src 'self' ${authority}`) : PORTAL_CSP;
}

/** The identity provider's origin named by the built portal's `auth-config.json`, if there is one. */
async function authorityOrigin(dist: string): Promise<string | undefined> {
  try {
    const config = JSON.parse(await readFile(path.join(dist, 'auth-config.json'), 'utf8')) as { authority?: unknown };
    return typeof config.authority === 'string' ? new URL(config.authority).origin : undefined;
  } catch {
    return undefined;
  }
}

const API_PATHS = /^\/(v1|local)(\/|$)|^\/(health|openapi\.json|docs)\/?$/;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

/**
 * The built portal, as CloudFront serves it on AWS: files under `/assets/` (hashed names,
 * cached for good), and `index.html` for every other extensionless GET outside the API, so
 * `/orders/plan_1` loads the app. The dist folder is read per request, so a rebuild shows at
 * once. API paths are never touched.
 */
function portal(dist: string): MiddlewareHandler {
  return async function servePortal(c, next) {
    const p = c.req.path;
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || API_PATHS.test(p)) return next();
    if (p === '/auth-config.json') {
      // Only a portal built for an identity provider has one; without it the portal is in local mode.
      const text = await readFile(path.join(dist, 'auth-config.json'), 'utf8').catch(() => undefined);
      return text === undefined ? next() : c.body(text, 200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
    }
    const asset = p.startsWith('/assets/') ? path.join(dist, path.normalize(p).replace(/^([/\\])+/, '')) : undefined;
    if (asset === undefined && path.extname(p) !== '') return next();
    if (asset !== undefined && !asset.startsWith(path.join(dist, 'assets') + path.sep)) return next();
    const file = asset ?? path.join(dist, 'index.html');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      if (asset) return next();
      return c.text('The portal is not built: run `npm run build:web` (npm start does it for you).', 503);
    }
    return c.body(new Uint8Array(body), 200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` even on the
      // portal's own POSTs, which the loopback-origin guard refuses.
      ...(asset ? {} : { 'content-security-policy': portalCsp(await authorityOrigin(dist)), 'referrer-policy': 'same-origin' }),
    });
  };
}

export async function listen(stack: LocalStack, port: number, options: LocalAppOptions = {}): Promise<{ server: ServerType; url: string; close(): Promise<void> }> {
  const app = localApp(stack, options);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
      resolve({
        server,
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
    server.once('error', reject);
  });
}
