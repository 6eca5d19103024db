/**
 * charge-once against the Alipay fake: a resumed attempt whose new request gets no answer is
 * not a failure. Alipay's "no such trade" is definitive only once no request can still
 * arrive, counted from the request that was just sent, not from when the attempt began.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayGateway } from '../../shared/adapters/gateway/alipay/alipay-gateway.ts';
import { chargeOnce } from '../../shared/application/charge-once.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { type AlipayFake, startAlipayFake } from '../fakes/alipay/alipay-fake.ts';
import { TestClock } from '../support/test-clock.ts';

const MINUTE = 60_000;

describe('Function: chargeOnce (Alipay)', () => {
  let fake: AlipayFake;
  let clock: TestClock;
  let gateway: AlipayGateway;

  beforeAll(async () => {
    clock = new TestClock(new Date('2026-02-28T01:00:00Z'));
    fake = await startAlipayFake({ clock, autoNotify: false });
    gateway = new AlipayGateway({ appId: fake.appId, privateKey: fake.appPrivateKey, alipayPublicKey: fake.alipayPublicKey, gateway: fake.gateway, clock });
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('answers unknown, not a timeout decline, when a resumed attempt’s new charge gets no answer', async () => {
    // Prepare: a bound agreement; an attempt that began 30 minutes ago never reached Alipay.
    const started = await gateway.startSetup({ customerId: 'cus_resume', methodType: 'alipay', setupKey: `setup-resume-${Date.now()}` });
    if (started.next.type !== 'redirect') throw new Error('expected a signing page');
    await fake.confirmSigning(started.next.url);
    const bound = await gateway.setupStatus(started.setupId);
    if (bound.status !== 'succeeded') throw new Error('not signed');
    const attemptedAt = clock.now();
    clock.advance(30 * MINUTE);
    // Alipay answers the resumed charge with HTTP 500: whether it acted is not known.
    fake.fault({ kind: 'error_500', method: 'alipay.trade.pay', times: 1 });

    // Act
    const outcome = await chargeOnce({ gateway, clock } as unknown as Pick<Deps, 'gateway' | 'clock'>, {
      idempotencyKey: 'plan_resume:1:1',
      provider: 'alipay',
      attemptedAt,
      resume: true,
      charge: { token: bound.token, methodType: 'alipay', amount: 54400, currency: 'CNY', planId: 'plan_resume', mode: 'auto' },
      missingMethodCode: 'invalid_method',
    });

    // Assert: nothing definitive came back, so nothing may be recorded as failed (a retry under a new number could double the debit).
    expect(outcome).toMatchObject({ unknown: expect.any(String) });
  });
});
