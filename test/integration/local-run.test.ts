/**
 * `/local/run` on a real HTTP server: one run at a time (a second run or a clock change is
 * refused with 409), progress streamed or polled, and a run that stops when its client goes away.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Local runs', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(cus.id), headers: { 'idempotency-key': `k-${cus.id}` } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function waitUntilIdle(): Promise<{ running: boolean; now: string }> {
    for (;;) {
      const { body } = await t.http('GET', '/local/run');
      if (!body.running) return body;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('streams progress, refuses a second run and a clock change meanwhile, and stops when the client goes away', async () => {
    // Prepare: a year of the plan's life, streamed.
    const client = new AbortController();
    const res = await fetch(`${t.url}/local/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ until: '2027-03-01T00:00:00Z' }),
      signal: client.signal,
    });
    // Whatever fails below, the client goes away in the end and the run stops.
    onTestFinished(() => client.abort());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const reader = res.body!.getReader();
    const first = JSON.parse(new TextDecoder().decode((await reader.read()).value).split('\n')[0]!);
    expect(first.progress).toMatchObject({ from: '2026-01-31T04:00:00.000Z', until: '2027-03-01T00:00:00.000Z', sweeps: expect.any(Number) });

    // Act + Assess: while it runs, another run and a clock change are refused; polling shows it.
    const second = await t.http('POST', '/local/run', { body: { until: '2026-03-01T00:00:00Z' } });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body).toMatchObject({ status: 409, code: 'RUN.IN_PROGRESS' });
    const clock = await t.http('POST', '/local/clock', { body: { now: '2026-06-01T00:00:00Z' } });
    expect(clock.status).toBe(409);
    expect(clock.body.code).toBe('RUN.IN_PROGRESS');
    const polled = await t.http('GET', '/local/run');
    expect(polled.body).toMatchObject({ running: true, progress: { until: '2027-03-01T00:00:00.000Z' } });

    // The client goes away: the run stops after the tick in hand, well before its end.
    client.abort();
    const idle = await waitUntilIdle();
    expect(new Date(idle.now).getTime()).toBeLessThan(new Date('2027-03-01T00:00:00Z').getTime());
    expect(new Date(idle.now).getTime()).not.toBe(new Date('2026-06-01T00:00:00Z').getTime());
  });

  it('runs again once the previous run ended, and answers with its counts', async () => {
    const { now } = await waitUntilIdle();
    const until = new Date(new Date(now).getTime() + 40 * 86_400_000).toISOString();
    const res = await t.http('POST', '/local/run', { body: { until } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ now: until, sweeps: expect.any(Number) });
    expect(res.body.cancelled).toBeUndefined();
    expect(res.body.sweeps).toBeGreaterThan(0);
  }, 180_000);
});
