/**
 * Only CloudFront reaches the API: the distribution adds a secret header to every request it
 * forwards to the API origin (CloudFront overwrites a viewer's header of the same name), and
 * every request without it is refused here, before anything is read. So a client that finds the
 * HTTP API's own endpoint (execute-api, or the API's custom domain) cannot get around the WAF's
 * per-IP rate limits and managed rules. Not configured (the local stack), nothing is checked.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ORIGIN_VERIFY_HEADER } from '../../shared/config/env.ts';
import { problem } from './problem.ts';

export { ORIGIN_VERIFY_HEADER };

export function originGuard(secret: string | undefined): MiddlewareHandler {
  const expected = secret === undefined ? undefined : Buffer.from(secret);
  return async function verifyOrigin(c, next) {
    if (expected === undefined) return next();
    const given = Buffer.from(c.req.header(ORIGIN_VERIFY_HEADER) ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return problem(c, 403, { code: 'REQUEST.NOT_VIA_CDN', detail: 'requests reach this API through its CloudFront distribution only' });
    }
    return next();
  };
}
