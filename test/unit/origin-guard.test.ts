/**
 * On AWS only CloudFront reaches the API: a request without CloudFront's origin-verify header
 * (one sent straight to the execute-api endpoint or the API's custom domain) is refused before
 * anything is read. The local stack sets no secret and checks nothing.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/app.ts';
import { ORIGIN_VERIFY_HEADER } from '../../functions/api/origin-guard.ts';
import type { Deps } from '../../shared/application/deps.ts';

const SECRET = 'cloudfront-origin-secret-0123456789abcdef';
const api = (originSecret?: string) => createApi({} as Deps, async () => undefined, originSecret ? { originSecret } : {});

describe('Middleware: originGuard', () => {
  it.each([
    ['no header', {}],
    ['a wrong secret', { [ORIGIN_VERIFY_HEADER]: `${SECRET.slice(0, -1)}x` }],
    ['a prefix of the secret', { [ORIGIN_VERIFY_HEADER]: SECRET.slice(0, 8) }],
  ])('refuses a request with %s, public routes and webhooks too', async (_what, headers: Record<string, string>) => {
    for (const [method, path] of [
      ['GET', '/health'],
      ['GET', '/v1/plans'],
      ['POST', '/v1/webhooks/simulated'],
    ] as const) {
      const res = await api(SECRET).request(path, { method, headers });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 403, code: 'REQUEST.NOT_VIA_CDN' });
    }
  });

  it('lets through what carries the secret', async () => {
    const res = await api(SECRET).request('/health', { headers: { [ORIGIN_VERIFY_HEADER]: SECRET } });
    expect(res.status).toBe(200);
    // Past the guard, the next check answers (no token here).
    const v1 = await api(SECRET).request('/v1/plans', { headers: { [ORIGIN_VERIFY_HEADER]: SECRET } });
    expect(v1.status).toBe(401);
  });

  it('checks nothing when no secret is configured (the local stack)', async () => {
    expect((await api().request('/health')).status).toBe(200);
  });
});
