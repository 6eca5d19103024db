/**
 * `Idempotency-Key` with the semantics payment APIs taught clients: the first response to a
 * key is stored and replayed for a retry with the same request (`idempotent-replayed: true`);
 * the same key with another request is refused (422); a retry while the first is still running
 * is refused (409) so it cannot take effect twice. Keys belong to the caller (the token's
 * `sub`) and to the route, and are kept for a day.
 *
 * Only requests that passed validation reach this step, so a 400 is never stored and the key
 * stays usable. A thrown error or a 5xx releases the key; a 4xx refusal is stored like a
 * success, because the request did run. Interim answers are not stored either: a 202 (the
 * provider awaits the customer's confirmation) and a temporary refusal (with Retry-After:
 * something was in progress) are answered again by running the same request, which then asks
 * the provider for the outcome.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Deps } from '../../shared/application/deps.ts';
import type { Principal } from './auth.ts';
import { problem } from './problem.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
export const MAX_KEY_LENGTH = 255;
/** Answers that say "not yet" (202, or a refusal with Retry-After) are never stored: the same request runs again. */
const isInterim = (response: Response) => response.status === 202 || response.headers.has('retry-after');

export interface IdempotencyOptions {
  /** Refuse a request without a key (400). Default true; pass false for "optional but honoured". */
  required?: boolean;
}

/**
 * Runs `run` at most once per (caller, scope, key).
 *
 * @param c      the request context; its `principal` variable (if any) owns the key
 * @param scope  the route, e.g. `'POST /v1/plans/{planId}/repayments'` (the concrete path is part
 *               of the request fingerprint, so a key reused on another plan is a 422)
 * @param body   the validated input: with the path, it is the fingerprint that must match
 * @param run    produces the response; called only for the first request with that key
 */
export type Idempotent = (c: Context, scope: string, body: unknown, run: () => Promise<Response>, options?: IdempotencyOptions) => Promise<Response>;

export function createIdempotency(deps: Pick<Deps, 'idempotency' | 'clock'>): Idempotent {
  return async function idempotent(c, scope, body, run, options = {}) {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined) {
      if (options.required === false) return run();
      return problem(c, 400, { code: 'IDEMPOTENCY.KEY_REQUIRED', detail: 'this request needs an Idempotency-Key header' });
    }
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      return problem(c, 400, {
        code: 'IDEMPOTENCY.KEY_INVALID',
        detail: `the Idempotency-Key header must be 1-${MAX_KEY_LENGTH} characters`,
        errors: [{ field: IDEMPOTENCY_HEADER, message: `must be 1-${MAX_KEY_LENGTH} characters` }],
      });
    }
    const principal = c.get('principal') as Principal | undefined;
    const fullScope = `${principal?.sub ?? 'anonymous'}:${scope}`;
    const hash = createHash('sha256')
      .update(JSON.stringify({ path: c.req.path, body }))
      .digest('hex');

    const seen = await deps.idempotency.begin(fullScope, key, hash, deps.clock.now());
    if (seen) {
      if (seen.requestHash !== hash) {
        return problem(c, 422, { code: 'IDEMPOTENCY.KEY_REUSED', detail: 'this Idempotency-Key was used with a different request' });
      }
      if (seen.status === 'in_progress') {
        return problem(c, 409, { code: 'IDEMPOTENCY.IN_PROGRESS', detail: 'a request with this Idempotency-Key is still in progress; retry later' });
      }
      return new Response(seen.response || null, {
        status: seen.statusCode,
        headers: { 'content-type': seen.statusCode >= 400 ? 'application/problem+json' : 'application/json', [REPLAYED_HEADER]: 'true' },
      });
    }
    try {
      const response = await run();
      if (response.status >= 500 || isInterim(response)) await deps.idempotency.release(fullScope, key);
      else await deps.idempotency.complete(fullScope, key, response.status, await response.clone().text());
      return response;
    } catch (err) {
      await deps.idempotency.release(fullScope, key);
      throw err;
    }
  };
}
