/**
 * A verified token is verified once per client run, not once per request: the cache keeps a
 * success by the token's exact text until the token expires (never past its TTL), keeps no
 * refusal, and holds a bounded number of tokens.
 */
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localJwtAuthenticator, VerifiedTokens } from '../../functions/api/auth.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

function counting(claims: (token: string) => Record<string, unknown> = () => ({ sub: 'cus_a', exp: T0 / 1000 + 3600 })) {
  const calls: string[] = [];
  return {
    calls,
    verify: async (token: string) => {
      calls.push(token);
      return claims(token);
    },
  };
}

describe('VerifiedTokens', () => {
  it('verifies a token once while it is cached, and each distinct token on its own', async () => {
    const now = T0;
    const cache = new VerifiedTokens(60_000, 10, () => now);
    const v = counting((token) => ({ sub: token, exp: T0 / 1000 + 3600 }));
    expect((await cache.verified('a.b.c', v.verify)).sub).toBe('a.b.c');
    expect((await cache.verified('a.b.c', v.verify)).sub).toBe('a.b.c');
    // One character of the signature differs: another token, verified for itself.
    expect((await cache.verified('a.b.d', v.verify)).sub).toBe('a.b.d');
    expect(v.calls).toEqual(['a.b.c', 'a.b.d']);
  });

  it('verifies again once the TTL has passed, even if the token is still valid', async () => {
    let now = T0;
    const cache = new VerifiedTokens(60_000, 10, () => now);
    const v = counting();
    await cache.verified('tok', v.verify);
    now = T0 + 59_999;
    await cache.verified('tok', v.verify);
    expect(v.calls).toHaveLength(1);
    now = T0 + 60_000;
    await cache.verified('tok', v.verify);
    expect(v.calls).toHaveLength(2);
  });

  it('never outlives the token: at `exp` it is verified again (and the verifier refuses it)', async () => {
    let now = T0;
    const cache = new VerifiedTokens(60_000, 10, () => now);
    const exp = T0 / 1000 + 5;
    const verify = vi.fn(async () => {
      if (now >= exp * 1000) throw new Error('"exp" claim timestamp check failed');
      return { sub: 'cus_a', exp };
    });
    await cache.verified('tok', verify);
    now = exp * 1000 - 1;
    await expect(cache.verified('tok', verify)).resolves.toMatchObject({ sub: 'cus_a' });
    now = exp * 1000;
    await expect(cache.verified('tok', verify)).rejects.toThrow(/exp/);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('keeps no refusal: a token refused once is verified again next time', async () => {
    const cache = new VerifiedTokens(60_000, 10, () => T0);
    const verify = vi.fn(async () => {
      throw new Error('signature verification failed');
    });
    await expect(cache.verified('tok', verify)).rejects.toThrow();
    await expect(cache.verified('tok', verify)).rejects.toThrow();
    expect(verify).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('keeps no token without an expiry', async () => {
    const cache = new VerifiedTokens(60_000, 10, () => T0);
    cache.set('tok', { sub: 'cus_a' });
    expect(cache.get('tok')).toBeUndefined();
  });

  it('holds at most `max` tokens, dropping the one verified longest ago', async () => {
    const cache = new VerifiedTokens(60_000, 2, () => T0);
    const v = counting();
    for (const token of ['t1', 't2', 't3']) await cache.verified(token, v.verify);
    expect(cache.size).toBe(2);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')).toBeDefined();
    expect(cache.get('t3')).toBeDefined();
  });
});

describe('localJwtAuthenticator with the cache', () => {
  const secret = 'a-secret-of-the-local-stack-32-bytes!';
  const sign = (exp: number, key = secret) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('cus_a')
      .setIssuer('iss')
      .setAudience('aud')
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(key));

  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts a cached token until it expires, and a forged or altered token never', async () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    const cache = new VerifiedTokens();
    const authenticate = localJwtAuthenticator({ secret, issuer: 'iss', audience: 'aud' }, cache);
    const token = await sign(T0 / 1000 + 30);
    expect(await authenticate({ authorization: `Bearer ${token}` })).toEqual({ sub: 'cus_a', admin: false });
    expect(cache.size).toBe(1);
    expect(await authenticate({ authorization: `Bearer ${token}` })).toEqual({ sub: 'cus_a', admin: false });
    // The genuine token is cached; one signed with another key, or with its signature altered, is still refused.
    expect(await authenticate({ authorization: `Bearer ${await sign(T0 / 1000 + 30, 'another-secret-of-32-bytes-or-more!!')}` })).toBeUndefined();
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await authenticate({ authorization: `Bearer ${altered}` })).toBeUndefined();
    vi.setSystemTime(T0 + 30_000);
    expect(await authenticate({ authorization: `Bearer ${token}` })).toBeUndefined();
  });
});
