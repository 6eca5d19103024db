/**
 * Unmatched requests as problem details: 405 with `Allow` when the path exists under another
 * method, 404 otherwise. A middleware rather than only a not-found handler, so the answer is
 * the same whether the router runs alone (Lambda) or mounted inside the local server.
 */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { problem } from './problem.ts';

/** The providers' webhooks: signed by the provider, they carry no token. */
export const WEBHOOK_PATH = /^\/v1\/webhooks\/[^/]+\/?$/;

/** What the router knows of its routes (a Hono app's `routes`). */
type AnyHono = { routes: ReadonlyArray<{ method: string; path: string }> };

const patternOf = (path: string) =>
  new RegExp(
    `^${path
      .replace(/[.+?^$()[\]\\|]/g, '\\$&')
      .replace(/:[^/]+/g, '[^/]+')
      .replace(/\*/g, '.*')}/?$`,
  );

/** The methods `app` serves at `path` (middleware aside). */
export function allowedMethods(app: AnyHono, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    if (patternOf(route.path).test(path)) methods.add(route.method);
  }
  return [...methods].sort();
}

export function unmatchedRoutes(app: AnyHono): MiddlewareHandler {
  return async function answerUnmatched(c, next) {
    await next();
    if (c.res.status !== 404 || matchedRoutes(c).some((r) => r.method !== 'ALL')) return;
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      const res = problem(c, 405, { code: 'REQUEST.METHOD_NOT_ALLOWED', detail: `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(', ')}` });
      res.headers.set('allow', allowed.join(', '));
      c.res = undefined;
      c.res = res;
      return;
    }
    c.res = undefined;
    c.res = problem(c, 404, { code: 'REQUEST.NO_ROUTE', detail: `no route for ${c.req.method} ${c.req.path}` });
  };
}
