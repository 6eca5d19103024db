/**
 * Property-based fuzzing of every route that takes a body (POST, PUT, PATCH — read from the
 * OpenAPI document, so later routes are fuzzed too): random JSON values, wrong types, missing
 * and extra fields, huge strings, text that is not JSON. Whatever arrives, the answer is never
 * a 5xx, and a refused request leaves the table exactly as it was.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../functions/api/webhooks.ts';
import { type ApiRoute, buildFixtures, documentWithoutStack, type Fixtures, fillPath, routesOf, snapshotTable, validBody } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const routes = routesOf(await documentWithoutStack());
const withBody = routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && r.hasBody);

/** Values of the wrong kind, or of the right kind at the edges. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    'null',
    'true',
    '2026-02-30',
    '+8613800138000',
    'tok_ok',
    '<script>',
    "'; DROP TABLE--",
    '../../etc/passwd',
    '\u0000',
    '\u202e',
  ),
  fc.constantFrom(0, -1, 1.5, -0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e308, Number.MIN_VALUE),
  fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 }),
);

/** Paths to every field of a valid body, nested ones included (`principal.amount`). */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return prefix.length ? [prefix] : [];
  const own = Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => fieldPaths(v, [...prefix, k]));
  return prefix.length ? [prefix, ...own] : own;
}

function setAt(body: unknown, path: string[], value: unknown, remove = false): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (remove) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
}

/** A request body: raw text, or JSON made from the route's valid body by some mutation. */
function bodies(valid: unknown): fc.Arbitrary<{ raw: string; label: string }> {
  const json = (label: string) => (v: unknown) => ({ raw: JSON.stringify(v) ?? '', label });
  const paths = fieldPaths(valid);
  const mutations: Array<fc.Arbitrary<{ raw: string; label: string }>> = [
    fc.jsonValue({ maxDepth: 3 }).map(json('any JSON value')),
    fc.string({ unit: 'grapheme', maxLength: 200 }).map((raw) => ({ raw, label: 'text' })),
    fc.dictionary(fc.string({ maxLength: 12 }), oddValue, { maxKeys: 4 }).map((extra) => json('extra fields')({ ...(valid as object), ...extra })),
    fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) => ({ raw: JSON.stringify(valid).replace(/^\{/, `{"${key}":{"admin":true},`), label: 'prototype keys' })),
  ];
  if (paths.length > 0) {
    mutations.push(
      fc.tuple(fc.constantFrom(...paths), oddValue).map(([path, value]) => json(`${path.join('.')} replaced`)(setAt(valid, path, value))),
      fc.constantFrom(...paths).map((path) => json(`${path.join('.')} removed`)(setAt(valid, path, undefined, true))),
    );
  }
  return fc.oneof(...mutations);
}

let t: TestStack;
let f: Fixtures;

beforeAll(async () => {
  t = await startTestStack();
  await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
  f = await buildFixtures(t, { periods: 12 });
});

afterAll(async () => {
  await t?.stop();
});

async function send(route: ApiRoute, raw: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
  if (route.security.includes('webhookSignature')) headers['x-repayflow-signature'] = signWebhook(t.stack.webhookSecret, raw, Math.floor(t.stack.clock.now().getTime() / 1000));
  return t.http(route.method, fillPath(route.path, f), { token: t.adminToken, rawBody: raw, headers });
}

describe('Fuzzing request bodies: never a 5xx, nothing written on refusal', () => {
  it('fuzzes every route with a body that the document lists', () => {
    expect(withBody.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /v1/customers', 'PATCH /v1/customers/{id}', 'POST /v1/customers/{id}/payment-methods', 'POST /v1/plans', 'POST /v1/webhooks/{provider}']),
    );
  });

  it.each(withBody.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const valid = validBody(route.method, route.path, f);
    await fc.assert(
      fc.asyncProperty(bodies(valid), async ({ raw, label }) => {
        const before = await snapshotTable(t);
        const res = await send(route, raw);
        // This stack runs the simulated gateway: the providers' webhooks are not configured and say so (503).
        const notConfigured =
          ['stripeSignature', 'wechatPaySignature', 'alipaySignature'].some((s) => route.security.includes(s)) && res.status === 503 && res.body?.code === 'WEBHOOK.NOT_CONFIGURED';
        if (!notConfigured) expect(res.status, `${label}: ${raw.slice(0, 200)} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type'), label).toContain('application/problem+json');
          expect(await snapshotTable(t), `${label}: ${res.status} wrote something`).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Fuzzing paths and query strings: never a 5xx', () => {
  const reads = routes.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/'));

  it.each(reads.map((r) => [`GET ${r.path}`, r] as const))('%s', async (_name, route) => {
    const segment = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }), fc.constantFrom('..', '.', '%2e%2e', 'a'.repeat(3000), f.planId, f.customerId));
    const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'q', 'customerId', 'x'), fc.oneof(fc.string({ unit: 'grapheme', maxLength: 100 }), fc.integer().map(String)), {
      maxKeys: 4,
    });
    await fc.assert(
      fc.asyncProperty(segment, query, fc.boolean(), async (value, params, asAdmin) => {
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'pmId' || value.length % 2 === 0 ? encodeURIComponent(value) : fillPath(`{${name}}`, f)));
        const res = await t.http('GET', `${path}?${new URLSearchParams(params)}`, { token: asAdmin ? t.adminToken : f.ownerToken });
        expect(res.status, `${path} ${JSON.stringify(params)} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
