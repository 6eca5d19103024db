/**
 * A request that died with its function must not lock its Idempotency-Key for a day, and a
 * re-run of a checkout must not make a second plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_PROGRESS_LEASE_MS } from '../../shared/adapters/dynamodb/idempotency-store.ts';
import { createPlan } from '../../shared/application/plans.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Idempotency after a crash', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lets a retry of the same request take over a reservation abandoned past its lease, once', async () => {
    const store = t.stack.deps.idempotency;
    const start = new Date('2026-03-01T00:00:00Z');
    expect(await store.begin('ops:POST /v1/plans', 'k-crash', 'hash-a', start)).toBeUndefined();

    // Within the lease: still in progress. Another body: never taken over.
    expect(await store.begin('ops:POST /v1/plans', 'k-crash', 'hash-a', new Date(start.getTime() + 1000))).toMatchObject({ status: 'in_progress' });
    const later = new Date(start.getTime() + IN_PROGRESS_LEASE_MS + 1000);
    expect(await store.begin('ops:POST /v1/plans', 'k-crash', 'hash-b', later)).toMatchObject({ status: 'in_progress', requestHash: 'hash-a' });

    // Past the lease, the same request takes it over; a second retry at that moment does not.
    expect(await store.begin('ops:POST /v1/plans', 'k-crash', 'hash-a', later)).toBeUndefined();
    expect(await store.begin('ops:POST /v1/plans', 'k-crash', 'hash-a', later)).toMatchObject({ status: 'in_progress' });
  });

  it('finds the plan a first run made when the checkout runs again under the same plan id', async () => {
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z')); // checkout on the purchase day
    const cus = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body;
    await t.http('POST', `/v1/customers/${cus.id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    const input = { ...aPlan(cus.id), principal: { amount: 599_900, currency: 'CNY' as const } } as Parameters<typeof createPlan>[1];

    const first = await createPlan(t.stack.deps, input, { planId: 'plan_rerun_1' });
    const again = await createPlan(t.stack.deps, input, { planId: 'plan_rerun_1' });

    expect(first.ok && again.ok).toBe(true);
    expect(again.ok && again.value.plan.planId).toBe('plan_rerun_1');
    const list = await t.http('GET', `/v1/plans?customerId=${cus.id}`, { token: t.adminToken });
    expect(list.body.items).toHaveLength(1);
  });
});
