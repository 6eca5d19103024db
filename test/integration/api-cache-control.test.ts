/**
 * PII (names, phones, emails, plans) must not stay in a browser's or a proxy's cache: every
 * `/v1` response, success or problem, carries `cache-control: no-store`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtures, type Fixtures } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;
let f: Fixtures;

beforeAll(async () => {
  t = await startTestStack();
  await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
  f = await buildFixtures(t);
});

afterAll(async () => {
  await t?.stop();
});

describe('Cache-Control on /v1 responses', () => {
  it('is no-store on customer and plan responses, for the owner and the admin', async () => {
    const reads = [
      `/v1/customers/${f.customerId}`,
      `/v1/customers/${f.customerId}/payment-methods`,
      `/v1/customers/${f.customerId}/notices`,
      '/v1/plans',
      `/v1/plans/${f.planId}`,
      `/v1/plans/${f.planId}/repayments`,
    ];
    for (const token of [f.ownerToken, t.adminToken]) {
      for (const path of reads) {
        const res = await t.http('GET', path === '/v1/plans' ? `${path}?customerId=${f.customerId}` : path, { token });
        expect(res.status, path).toBe(200);
        expect(res.headers.get('cache-control'), path).toBe('no-store');
      }
    }
    const patched = await t.http('PATCH', `/v1/customers/${f.customerId}`, { token: f.ownerToken, body: { locale: 'en' } });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('cache-control')).toBe('no-store');
  });

  it('is no-store on problems too', async () => {
    expect((await t.http('GET', `/v1/customers/${f.customerId}`)).headers.get('cache-control')).toBe('no-store');
    expect((await t.http('GET', '/v1/customers/cus_nobody', { token: t.adminToken })).headers.get('cache-control')).toBe('no-store');
  });
});
