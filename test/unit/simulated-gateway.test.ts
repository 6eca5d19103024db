import { describe, expect, it } from 'vitest';
import { SimulatedGateway } from '../../shared/adapters/gateway/simulated-gateway.ts';
import type { ChargeRequest } from '../../shared/ports/payment-gateway.port.ts';

const clock = { now: () => new Date('2026-02-28T01:00:00Z') };
const query = (idempotencyKey: string) => ({ idempotencyKey, provider: 'simulated' as const, attemptedAt: clock.now() });
const charge = (token: string, key: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
  idempotencyKey: key,
  provider: 'simulated',
  token,
  methodType: 'bank_card',
  amount: 54_392,
  currency: 'CNY',
  planId: 'plan_1',
  mode: 'auto',
  ...overrides,
});

describe('Class: SimulatedGateway', () => {
  describe('Method: charge', () => {
    it('captures tok_ok once per idempotency key, however often it is asked', async () => {
      const gateway = new SimulatedGateway(clock);
      const first = await gateway.charge(charge('tok_ok', 'k1'));
      const again = await gateway.charge(charge('tok_ok', 'k1'));
      expect(first).toMatchObject({ outcome: 'captured' });
      expect(again).toEqual(first);
      expect(gateway.charges()).toHaveLength(1);
    });

    it('declines tok_insufficient_funds and tok_expired with their codes and captures nothing', async () => {
      const gateway = new SimulatedGateway(clock);
      expect(await gateway.charge(charge('tok_insufficient_funds', 'k1'))).toEqual({ outcome: 'declined', code: 'insufficient_funds' });
      expect(await gateway.charge(charge('tok_expired', 'k2'))).toEqual({ outcome: 'declined', code: 'card_expired' });
      expect(await gateway.charge(charge('tok_unheard_of', 'k3'))).toEqual({ outcome: 'declined', code: 'invalid_method' });
      expect(gateway.charges()).toHaveLength(0);
    });

    it('fails about the given share of tok_flaky_<pct> charges, the same way for the same keys', async () => {
      const gateway = new SimulatedGateway(clock);
      const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => gateway.charge(charge('tok_flaky_30', `flaky:${i}`))));
      const failed = results.filter((r) => r.outcome === 'declined').length;
      expect(failed).toBeGreaterThan(250);
      expect(failed).toBeLessThan(350);
      const replay = new SimulatedGateway(clock);
      const again = await Promise.all(Array.from({ length: 1000 }, (_, i) => replay.charge(charge('tok_flaky_30', `flaky:${i}`))));
      expect(again.map((r) => r.outcome)).toEqual(results.map((r) => r.outcome));
    });

    it('answers tok_timeout with an unknown outcome that only the status query resolves', async () => {
      const gateway = new SimulatedGateway(clock);
      const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => gateway.charge(charge('tok_timeout', `t:${i}`))));
      expect(outcomes.every((o) => o.outcome === 'unknown')).toBe(true);
      const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => gateway.status(query(`t:${i}`))));
      const captured = statuses.filter((s) => s.status === 'captured').length;
      expect(captured).toBe(gateway.charges().length);
      expect(captured).toBeGreaterThan(0);
      expect(statuses.filter((s) => s.status === 'not_found').length).toBe(40 - captured);
    });

    it('captures tok_slow_<ms> after the delay', async () => {
      const gateway = new SimulatedGateway(clock);
      const started = performance.now();
      expect(await gateway.charge(charge('tok_slow_50', 'k1'))).toMatchObject({ outcome: 'captured' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    });

    it('leaves an automatic wallet debit pending until the wallet settles it, and never a customer-present one', async () => {
      const gateway = new SimulatedGateway(clock);
      expect(await gateway.charge(charge('tok_async', 'w1', { methodType: 'alipay' }))).toEqual({ outcome: 'pending' });
      expect(await gateway.status(query('w1'))).toEqual({ status: 'pending' });
      expect(await gateway.charge(charge('tok_async', 'w2', { methodType: 'alipay', mode: 'customer_present' }))).toEqual({ outcome: 'declined', code: 'invalid_method' });

      const notifications = gateway.settlePending();

      expect(notifications).toEqual([
        expect.objectContaining({ provider: 'simulated', type: 'payment.succeeded', data: expect.objectContaining({ idempotencyKey: 'w1', amount: 54_392 }) }),
      ]);
      expect(await gateway.status(query('w1'))).toMatchObject({ status: 'captured' });
      expect(gateway.settlePending()).toEqual([]);
    });
  });
});
