/**
 * The edge's answers to bad requests (RFC 9457 problem details, never a 5xx), cursor paging and
 * search of the lists, and the rendered reference at /docs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../functions/api/app.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { countEntity, routesOf } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
  await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
});

afterAll(async () => {
  await t?.stop();
});

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

async function customerWithMethod() {
  const customer = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
  await t.http('POST', `/v1/customers/${customer.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
  return { id: customer.id as string, token: await t.stack.token(customer.id) };
}

const createPlan = (customerId: string, overrides: Record<string, unknown> = {}) =>
  t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId, { periods: 3, ...overrides }), headers: { 'idempotency-key': randomUUID() } });

describe('Problem details for bad requests', () => {
  it('answers an unknown route 404, authenticated or not', async () => {
    // Outside the API paths the local server hands GETs to the portal; the router itself (as
    // the Lambda runs it) answers them with a problem.
    const bare = await t.stack.api.request('/nothing-here');
    expect(bare.status).toBe(404);
    expect(bare.headers.get('content-type')).toContain('application/problem+json');
    expectProblem(await t.http('POST', '/nothing-here', { body: {} }), 404);
    expectProblem(await t.http('GET', '/v1/nothing-here', { token: t.adminToken }), 404);
    expectProblem(await t.http('GET', '/local/nothing-here'), 404);
  });

  it('answers a known path with the wrong method 405 and says which methods are allowed', async () => {
    const res = await t.http('DELETE', '/v1/plans', { token: t.adminToken });
    expectProblem(res, 405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(res.body.code).toBe('REQUEST.METHOD_NOT_ALLOWED');
  });

  it('answers a body that is not JSON 415 and says application/json is expected', async () => {
    expectProblem(await t.http('POST', '/v1/customers', { token: t.adminToken, rawBody: JSON.stringify(aCustomer()), headers: { 'content-type': 'text/plain' } }), 415);
    // What `curl -d` sends when no content type is given.
    const form = await t.http('POST', '/v1/customers', {
      token: t.adminToken,
      rawBody: JSON.stringify(aCustomer()),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(form, 415);
    expect(form.body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expect(form.body.detail).toContain('content-type: application/json');
    expect(form.body.detail).toContain('application/x-www-form-urlencoded');
    expect(form.headers.get('accept')).toBe('application/json');
  });

  it('accepts JSON sent with a charset or as another +json type', async () => {
    const res = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer(), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it(`answers a body over ${MAX_BODY_BYTES} bytes 413 and writes nothing`, async () => {
    const before = await countEntity(t, 'customer');
    const res = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: 'x'.repeat(MAX_BODY_BYTES + 1) }) });
    expectProblem(res, 413);
    expect(res.body.code).toBe('REQUEST.TOO_LARGE');
    expect(res.body.detail).toContain(String(MAX_BODY_BYTES));
    expect(await countEntity(t, 'customer')).toBe(before);
  });

  it('answers malformed JSON 400 REQUEST.MALFORMED_JSON, on the API and the local routes alike', async () => {
    for (const path of ['/v1/customers', '/local/token']) {
      const res = await t.http('POST', path, { token: t.adminToken, rawBody: '{"name": "x",' });
      expectProblem(res, 400);
      expect(res.body).toMatchObject({ code: 'REQUEST.MALFORMED_JSON', detail: 'the body is not valid JSON' });
    }
  });

  it('answers 401 with a Bearer challenge, naming invalid_token when a token was sent', async () => {
    const none = await t.http('GET', '/v1/plans?customerId=cus_x');
    expectProblem(none, 401);
    expect(none.body.code).toBe('AUTH.INVALID_TOKEN');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="repayflow"');
    const forged = await t.http('GET', '/v1/plans?customerId=cus_x', { token: 'not.a.token' });
    expectProblem(forged, 401);
    expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer realm="repayflow", error="invalid_token"/);
  });

  it('gives every problem a code: unknown routes, bad input, bad media, bad JSON, too large, no token', async () => {
    const answers = [
      await t.http('POST', '/v1/nothing-here', { token: t.adminToken, body: {} }),
      await t.stack.api.request('/nothing-here'),
      await t.http('POST', '/v1/customers', { token: t.adminToken, body: {} }),
      await t.http('POST', '/v1/customers', { token: t.adminToken, rawBody: 'x', headers: { 'content-type': 'text/plain' } }),
      await t.http('POST', '/v1/customers', { token: t.adminToken, rawBody: '{' }),
      await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: 'x'.repeat(MAX_BODY_BYTES + 1) }) }),
      await t.http('POST', '/v1/customers', { body: aCustomer() }),
      await t.http('POST', '/local/clock', { body: { now: 'soon' } }),
    ];
    for (const res of answers) {
      const body = 'json' in res ? await res.json() : res.body;
      expect(body.code, JSON.stringify(body)).toMatch(/^[A-Z]+\.[A-Z_]+$/);
    }
  });

  it('names every invalid field, nested ones by their path', async () => {
    const res = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ notifications: { sms: 'yes', email: false }, locale: 'fr', extra: 1 }) });
    expectProblem(res, 400);
    expect(res.body.code).toBe('REQUEST.INVALID');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'locale', 'notifications.sms']);
    expect(res.body.errors.every((e: { message: string }) => e.message.length > 0)).toBe(true);
  });

  it('names each unknown key, nested ones by their path', async () => {
    const res = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ nickname: 'Mei', notifications: { sms: true, email: false, push: true } }) });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'nickname', message: 'is not a field of this request' },
        { field: 'notifications.push', message: 'is not a field of this request' },
      ]),
    );
    expect(res.body.detail).toContain('nickname: is not a field of this request');
  });

  it("writes messages for people, not zod defaults, and keeps the schema's own", async () => {
    const { name: _name, ...noName } = aCustomer();
    const res = await t.http('POST', '/v1/customers', {
      token: t.adminToken,
      body: { ...noName, locale: 'fr', notifications: { sms: 'yes', email: false }, timeZone: 8, phone: '12345' },
    });
    expectProblem(res, 400);
    const byField = Object.fromEntries(res.body.errors.map((e: { field: string; message: string }) => [e.field, e.message]));
    expect(byField).toMatchObject({
      name: 'is required',
      locale: 'must be one of zh-CN, en',
      'notifications.sms': 'must be true or false',
      timeZone: 'must be a string',
    });
    expect(res.body.errors).toContainEqual({ field: 'phone', message: 'must be an E.164 phone number such as +8613800138000' });
    for (const e of res.body.errors as Array<{ message: string }>) expect(e.message).not.toMatch(/Invalid input|expected .*, received|Too small|Invalid option/);

    const plan = await createPlan('cus_nobody', { fee: { model: 'balloon' }, principal: { amount: 100, currency: 'XYZ' } });
    expectProblem(plan, 400);
    expect(plan.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'fee.model', message: 'must be one of flat, annuity, equal_principal' },
        { field: 'principal.currency', message: expect.stringMatching(/^must be one of CNY, USD, /) },
      ]),
    );
    const limit = await t.http('GET', '/v1/plans?customerId=cus_x&limit=0', { token: t.adminToken });
    expect(limit.body.errors).toEqual([{ field: 'limit', message: 'must be 1 or more' }]);

    const clock = await t.http('POST', '/local/clock', { body: { now: 'tomorrow' } });
    expectProblem(clock, 400);
    expect(clock.body.errors).toEqual([{ field: 'now', message: 'must be an ISO 8601 date and time with an offset, such as 2026-01-31T04:00:00Z' }]);
  });

  it('validates query and path parameters', async () => {
    const limit = await t.http('GET', '/v1/plans?customerId=cus_x&limit=0', { token: t.adminToken });
    expectProblem(limit, 400);
    expect(limit.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    expectProblem(await t.http('GET', '/v1/plans?customerId=cus_x&limit=many', { token: t.adminToken }), 400);
    expectProblem(await t.http('GET', `/v1/plans/${'p'.repeat(65)}`, { token: t.adminToken }), 400);
    expectProblem(await t.http('GET', '/v1/plans/%F0%9F%92%B8', { token: t.adminToken }), 400);
  });
});

describe('GET /v1/plans: cursor paging and search', () => {
  let customer: { id: string; token: string };

  beforeAll(async () => {
    customer = await customerWithMethod();
    const products = ['Mi 15 Pro 512GB', 'iPhone 17 Pro', 'Huawei Mate 80', 'Redmi Note 15', 'Mi Band 10'];
    for (const [i, productName] of products.entries()) {
      t.stack.clock.set(new Date(Date.parse('2026-01-31T04:00:00Z') + i * 1000));
      expect((await createPlan(customer.id, { productName, orderId: `JD-2026-ORD-${i}` })).status).toBe(201);
    }
  });

  it('pages through every plan once, newest first, and ends with a null cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: any } = await t.http('GET', `/v1/plans?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: customer.token });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((p: { productName: string }) => p.productName));
      cursor = res.body.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['Mi Band 10', 'Redmi Note 15', 'Huawei Mate 80', 'iPhone 17 Pro', 'Mi 15 Pro 512GB']);
  });

  it('finds plans by product name or order id, whatever the case', async () => {
    const names = async (q: string) =>
      (await t.http('GET', `/v1/plans?q=${encodeURIComponent(q)}`, { token: customer.token })).body.items.map((p: { productName: string }) => p.productName).sort();
    expect(await names('IPHONE')).toEqual(['iPhone 17 Pro']);
    expect(await names('MI 15')).toEqual(['Mi 15 Pro 512GB']);
    expect(await names('mi')).toEqual(['Mi 15 Pro 512GB', 'Mi Band 10', 'Redmi Note 15']);
    expect(await names('jd-2026-ord-2')).toEqual(['Huawei Mate 80']);
    expect(await names('ord')).toHaveLength(5);
    expect(await names('galaxy')).toEqual([]);
  });

  it('pages through search results too', async () => {
    const first = await t.http('GET', '/v1/plans?q=MI&limit=1', { token: customer.token });
    expect(first.body.items).toHaveLength(1);
    const rest = await t.http('GET', `/v1/plans?q=MI&limit=5&cursor=${encodeURIComponent(first.body.cursor)}`, { token: customer.token });
    const all = [...first.body.items, ...rest.body.items].map((p: { productName: string }) => p.productName).sort();
    expect(all).toEqual(['Mi 15 Pro 512GB', 'Mi Band 10', 'Redmi Note 15']);
  });

  it('answers a cursor it never issued 400, not 500', async () => {
    for (const cursor of ['garbage', 'eyJ', Buffer.from('{"pk":"x"}').toString('base64url'), '%00%01', 'A'.repeat(2048)]) {
      const res = await t.http('GET', `/v1/plans?cursor=${cursor}`, { token: customer.token });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it("answers another customer's cursor 400: it cannot open someone else's list", async () => {
    const page = await t.http('GET', `/v1/plans?limit=1`, { token: customer.token });
    const stranger = await customerWithMethod();
    await createPlan(stranger.id);
    const res = await t.http('GET', `/v1/plans?limit=5&cursor=${encodeURIComponent(page.body.cursor)}`, { token: stranger.token });
    expectProblem(res, 400);
  });
});

describe('GET /v1/customers/{id}/notices: cursor paging', () => {
  it('pages through the notices sent, newest first', async () => {
    const customer = await customerWithMethod();
    expect((await createPlan(customer.id)).status).toBe(201);
    await t.http('POST', '/local/run', { body: { until: '2026-02-28T01:30:00Z' } });

    const all = (await t.http('GET', `/v1/customers/${customer.id}/notices`, { token: customer.token })).body;
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    expect(all.cursor).toBeNull();

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await t.http('GET', `/v1/customers/${customer.id}/notices?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        token: customer.token,
      });
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((n: { id: string }) => n.id));
      cursor = res.body.cursor;
    } while (cursor);
    expect(ids).toEqual(all.items.map((n: { id: string }) => n.id));
    expectProblem(await t.http('GET', `/v1/customers/${customer.id}/notices?cursor=garbage`, { token: customer.token }), 400);
    expectProblem(await t.http('GET', `/v1/customers/${customer.id}/notices?limit=101`, { token: customer.token }), 400);
  });
});

describe('GET /docs', () => {
  it('renders every operation of the OpenAPI document in one self-contained page', async () => {
    const res = await fetch(`${t.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    const doc = (await t.http('GET', '/openapi.json')).body;
    const routes = routesOf(doc);
    expect(routes.length).toBeGreaterThanOrEqual(16);
    for (const r of routes) {
      const escapedPath = r.path.replaceAll('&', '&amp;');
      expect(html, `${r.method} ${r.path}`).toContain(`<span class="method ${r.method.toLowerCase()}">${r.method}</span> <code>${escapedPath}</code>`);
    }
    for (const op of Object.values(doc.paths).flatMap((item: any) => Object.values(item)) as Array<{ summary?: string }>) {
      if (op.summary)
        expect(html).toContain(op.summary.replaceAll('&', '&amp;').replaceAll("'", '&#39;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'));
    }
    for (const schema of Object.keys(doc.components.schemas)) expect(html).toContain(`<code>${schema}</code>`);
    // Request bodies are spelled out field by field, with their constraints.
    expect(html).toContain('<code>purchaseDate</code>');
    expect(html).toContain('<code>idempotency-key</code>');
    expect(html).toContain('X-Repayflow-Signature header');
    // Nothing fetched from elsewhere.
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
  });
});
