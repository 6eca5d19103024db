/**
 * The authorisation matrix: every `/v1` route the OpenAPI document lists (a route added later is
 * in the matrix without anyone touching this file) × {anonymous, another customer, the owner,
 * an admin}, on real fixtures made through the API.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ONLY_ROUTES } from '../../functions/api/access.ts';
import { ADMIN_ROUTES } from '../../infra/aws/constructs/http-api.ts';
import { type ApiRoute, buildFixtures, documentWithoutStack, type Fixtures, fillPath, queryFor, routesOf, validBody } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const routes = routesOf(await documentWithoutStack()).filter((r) => r.path.startsWith('/v1/'));
const isAdminOnly = (r: ApiRoute) => ADMIN_ONLY_ROUTES.some((a) => a.method === r.method && a.path === r.path);
const isSigned = (r: ApiRoute) => !r.security.includes('bearer');
/**
 * This stack runs the simulated gateway, so Stripe's and WeChat Pay's webhooks are not configured:
 * they refuse every request with 503 WEBHOOK.NOT_CONFIGURED before reading anything
 * (test/integration/stripe-webhooks.test.ts, test/e2e/wechat-pay-providers.test.ts cover them configured).
 */
const unsignedStatus = (r: ApiRoute) => (['stripeSignature', 'wechatPaySignature', 'alipaySignature'].some((s) => r.security.includes(s)) ? 503 : 401);
const label = (r: ApiRoute) => `${r.method} ${r.path}`;

type Who = 'anonymous' | 'another customer' | 'the owner' | 'an admin';

describe('Authorisation matrix: every /v1 route × every kind of caller', () => {
  let t: TestStack;
  let strangerToken: string;

  beforeAll(async () => {
    t = await startTestStack();
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    strangerToken = await t.stack.token(`cus_stranger_${randomUUID().slice(0, 8)}`);
  });

  afterAll(async () => {
    await t?.stop();
  });

  let shared: Promise<Fixtures> | undefined;
  /**
   * Callers who are let through a route that changes something get fresh fixtures, so that one
   * caller's DELETE or cancel cannot change what the next one sees; the rest share one set.
   */
  async function call(route: ApiRoute, who: Who): Promise<{ status: number; body: any; fixtures: Fixtures }> {
    const mayChange = route.method !== 'GET' && (who === 'the owner' || who === 'an admin');
    const fixtures = mayChange ? await buildFixtures(t) : await (shared ??= buildFixtures(t));
    const token = { anonymous: undefined, 'another customer': strangerToken, 'the owner': fixtures.ownerToken, 'an admin': t.adminToken }[who];
    const res = await t.http(route.method, fillPath(route.path, fixtures) + queryFor(route.method, route.path, fixtures), {
      ...(token ? { token } : {}),
      ...(route.hasBody ? { body: validBody(route.method, route.path, fixtures) } : {}),
      headers: { 'idempotency-key': randomUUID() },
    });
    return { ...res, fixtures };
  }

  it('reads the routes from /openapi.json as served, and finds the same list', async () => {
    const served = routesOf((await t.http('GET', '/openapi.json')).body).filter((r) => r.path.startsWith('/v1/'));
    expect(served.map(label).sort()).toEqual(routes.map(label).sort());
    expect(routes.length).toBeGreaterThanOrEqual(14);
  });

  it('guards in the function the same admin routes the API Gateway guards with the admin scope', () => {
    expect(ADMIN_ONLY_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  describe.each(routes.map((r) => [label(r), r] as const))('%s', (_name, route) => {
    it('answers 401 to an anonymous caller', async () => {
      const res = await call(route, 'anonymous');
      expect(res.status).toBe(unsignedStatus(route));
      expect(res.body).toMatchObject({ status: unsignedStatus(route) });
    });

    it(
      isSigned(route)
        ? 'answers 401 to another customer (a token is no signature)'
        : isAdminOnly(route)
          ? 'answers 403 to another customer'
          : "hides the owner's data from another customer",
      async () => {
        const res = await call(route, 'another customer');
        if (isSigned(route)) expect(res.status).toBe(unsignedStatus(route));
        else if (isAdminOnly(route)) expect(res.status).toBe(403);
        else if (route.path.includes('{')) expect(res.status).toBe(404);
        else {
          // A collection without an owner in the path: the caller's own (empty) list, never the owner's.
          expect(res.status).toBeLessThan(300);
          expect(JSON.stringify(res.body)).not.toContain(res.fixtures.customerId);
          expect(JSON.stringify(res.body)).not.toContain(res.fixtures.planId);
        }
      },
    );

    it(isSigned(route) ? 'answers 401 to the owner (a token is no signature)' : isAdminOnly(route) ? 'answers 403 to the owner' : 'lets the owner through', async () => {
      const res = await call(route, 'the owner');
      if (isSigned(route)) expect(res.status).toBe(unsignedStatus(route));
      else if (isAdminOnly(route)) expect(res.status).toBe(403);
      else {
        expect([401, 403, 404], JSON.stringify(res.body)).not.toContain(res.status);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      }
    });

    it(isSigned(route) ? 'answers 401 to an admin (a token is no signature)' : 'lets an admin through', async () => {
      const res = await call(route, 'an admin');
      if (isSigned(route)) expect(res.status).toBe(unsignedStatus(route));
      else {
        expect([401, 403, 404], JSON.stringify(res.body)).not.toContain(res.status);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      }
    });
  });

  it('answers problem+json for every refusal', async () => {
    const fixtures = await buildFixtures(t);
    const res = await t.http('GET', `/v1/plans/${fixtures.planId}`, { token: strangerToken });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'PLAN.NOT_FOUND' });
  });

  it('refuses a customer before reading the body: another customer learns nothing from validation errors', async () => {
    const fixtures = await buildFixtures(t);
    const res = await t.http('PATCH', `/v1/customers/${fixtures.customerId}`, { token: strangerToken, body: { locale: 42 } });
    expect(res.status).toBe(404);
    const admin = await t.http('POST', '/v1/plans', { token: fixtures.ownerToken, body: { nonsense: true }, headers: { 'idempotency-key': randomUUID() } });
    expect(admin.status).toBe(403);
  });
});
