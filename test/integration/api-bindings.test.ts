/**
 * Binding on first use, through HTTP on the local stack: a setup starts the provider's own
 * authorisation, the customer answers on the provider's (stand-in) page, and only the
 * provider's answer binds the method — once, for the customer who started it. And a customer
 * payment the provider wants confirmed (3-D Secure) is confirmed on the stand-in page and
 * answered to the same request sent again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/app.ts';
import { localJwtAuthenticator } from '../../functions/api/auth.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/stack.ts';
import { ProviderRouter } from '../../shared/adapters/gateway/provider-router.ts';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { countEntity } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

describe('Payment method bindings', () => {
  let t: TestStack;
  let seq = 0;

  async function aCustomerWithToken(overrides: Record<string, unknown> = {}) {
    seq += 1;
    const cus = await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ phone: `+86139100${String(seq).padStart(5, '0')}`, ...overrides }) });
    expect(cus.status).toBe(201);
    return { customerId: cus.body.id as string, token: await t.stack.token(cus.body.id) };
  }
  const setupPath = (customerId: string) => `/v1/customers/${customerId}/payment-methods/setup`;

  /** The customer's answer on the stand-in sign page, as the browser posts the form. */
  async function answerSignPage(setupId: string, form: Record<string, string>) {
    return fetch(`${t.url}/local/provider/setup/${setupId}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  }

  beforeAll(async () => {
    t = await startTestStack();
    t.stack.clock.set(new Date('2026-01-31T04:00:00Z'));
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('POST /v1/customers/{id}/payment-methods/setup', () => {
    it("starts the provider's authorisation and keeps a pending binding", async () => {
      // Prepare
      const { customerId, token } = await aCustomerWithToken();

      // Act
      const res = await t.http('POST', setupPath(customerId), { token, body: { type: 'bank_card', returnUrl: '/methods' } });

      // Assess
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        setupId: expect.stringMatching(/^seti_sim_/),
        provider: 'simulated',
        type: 'bank_card',
        status: 'pending',
        next: { type: 'redirect', url: `/local/provider/setup/${res.body.setupId}` },
      });
      const shown = await t.http('GET', `${setupPath(customerId)}/${res.body.setupId}`, { token });
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({
        setupId: res.body.setupId,
        provider: 'simulated',
        type: 'bank_card',
        status: 'pending',
        createdAt: '2026-01-31T04:00:00.000Z',
        expiresAt: '2026-02-01T04:00:00.000Z',
      });
    });

    it('starts one authorisation per Idempotency-Key', async () => {
      const { customerId, token } = await aCustomerWithToken();
      const first = await t.http('POST', setupPath(customerId), { token, body: { type: 'alipay' }, headers: { 'idempotency-key': 'bind-1' } });
      const again = await t.http('POST', setupPath(customerId), { token, body: { type: 'alipay' }, headers: { 'idempotency-key': 'bind-1' } });
      const other = await t.http('POST', setupPath(customerId), { token, body: { type: 'alipay' }, headers: { 'idempotency-key': 'bind-2' } });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body.setupId).toBe(first.body.setupId);
      expect(other.body.setupId).not.toBe(first.body.setupId);
    });

    it('refuses a type no provider serves here (422 naming type), and an unknown type (400)', async () => {
      const { customerId, token } = await aCustomerWithToken();
      const unknown = await t.http('POST', setupPath(customerId), { token, body: { type: 'paypal' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'type' })]);

      // A deployment where no provider has keys: the same router over the same table.
      const api = createApi(
        { ...t.stack.deps, gateway: new ProviderRouter([]) },
        localJwtAuthenticator({ secret: t.stack.jwtSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }),
      );
      const res = await api.request(setupPath(customerId), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'wechat_pay' }),
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ code: 'PAYMENT_METHOD.TYPE_UNAVAILABLE', errors: [{ field: 'type' }] });
    });

    it('refuses a return URL off the portal (no open redirect)', async () => {
      const { customerId, token } = await aCustomerWithToken();
      for (const returnUrl of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
        const res = await t.http('POST', setupPath(customerId), { token, body: { type: 'bank_card', returnUrl } });
        expect(res.status, returnUrl).toBe(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'returnUrl' })]);
      }
    });
  });

  describe('POST /v1/customers/{id}/payment-methods/setup/{setupId}/complete', () => {
    it("binds the card the provider confirmed, once, with the provider's masked display", async () => {
      // Prepare: a setup; the customer has not answered yet.
      const { customerId, token } = await aCustomerWithToken();
      const { setupId } = (await t.http('POST', setupPath(customerId), { token, body: { type: 'bank_card', returnUrl: '/methods' } })).body;
      const early = await t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token });
      expect(early.status).toBe(202);
      expect(early.body).toEqual({ status: 'pending', setupId });

      // Act: the customer authorises Visa 4242 on the provider's page; the portal completes, twice at once, then again.
      const answered = await answerSignPage(setupId, { token: 'pm_card_visa', action: 'authorise' });
      expect(answered.status).toBe(303);
      expect(answered.headers.get('location')).toBe(`/methods?setup_intent=${setupId}&redirect_status=succeeded`);
      const [a, b] = await Promise.all([
        t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token }),
        t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token }),
      ]);
      const repeat = await t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token });

      // Assess: one method, the provider's display, the default (it is the first); every answer names it.
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      const bound = a.status === 201 ? a.body : b.body;
      expect(bound).toMatchObject({ status: 'active', setupId, paymentMethod: { type: 'bank_card', display: 'Visa ****4242', isDefault: true } });
      expect((a.status === 201 ? b : a).body).toEqual(bound);
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(bound);
      const list = await t.http('GET', `/v1/customers/${customerId}/payment-methods`, { token });
      expect(list.body.items).toEqual([bound.paymentMethod]);
      const shown = await t.http('GET', `${setupPath(customerId)}/${setupId}`, { token });
      expect(shown.body).toMatchObject({ status: 'active', paymentMethod: bound.paymentMethod });
    });

    it("never takes the client's word: nothing is bound until the provider says so", async () => {
      const { customerId, token } = await aCustomerWithToken();
      const { setupId } = (await t.http('POST', setupPath(customerId), { token, body: { type: 'bank_card' } })).body;
      const forged = await t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token, body: { status: 'succeeded', token: 'pm_card_visa' } });
      expect(forged.status).toBe(202);
      expect((await t.http('GET', `/v1/customers/${customerId}/payment-methods`, { token })).body.items).toEqual([]);
    });

    it("answers 422 with the provider's code when the customer cancels on the provider's page", async () => {
      const { customerId, token } = await aCustomerWithToken();
      const { setupId } = (await t.http('POST', setupPath(customerId), { token, body: { type: 'wechat_pay' } })).body;
      const answered = await answerSignPage(setupId, { action: 'cancel' });
      expect(answered.headers.get('location')).toBe(`/methods?setup_intent=${setupId}&redirect_status=failed`);

      const res = await t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token });
      const again = await t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token });

      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'PAYMENT_SETUP.FAILED', failureCode: 'setup_refused' });
      expect(again.body).toMatchObject({ code: 'PAYMENT_SETUP.FAILED', failureCode: 'setup_refused' });
      expect((await t.http('GET', `${setupPath(customerId)}/${setupId}`, { token })).body).toMatchObject({ status: 'failed', failureCode: 'setup_refused' });
      expect((await t.http('GET', `/v1/customers/${customerId}/payment-methods`, { token })).body.items).toEqual([]);
    });

    it('binds a wallet with the account the provider reports, as the default when asked', async () => {
      const { customerId, token } = await aCustomerWithToken();
      await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token, body: aPaymentMethod() });
      const { setupId } = (await t.http('POST', setupPath(customerId), { token, body: { type: 'alipay', makeDefault: true } })).body;
      await answerSignPage(setupId, { token: 'tok_async', action: 'authorise' });
      const res = await t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token });
      expect(res.status).toBe(201);
      expect(res.body.paymentMethod).toMatchObject({ type: 'alipay', display: 'alipay 138****5678', isDefault: true });
      const list = (await t.http('GET', `/v1/customers/${customerId}/payment-methods`, { token })).body.items;
      expect(list.map((m: { display: string; isDefault: boolean }) => [m.display, m.isDefault])).toEqual([
        ['alipay 138****5678', true],
        ['招商银行 ****1234', false],
      ]);
    });

    it("hides another customer's setup (404) and lets an admin act on it", async () => {
      const owner = await aCustomerWithToken();
      const stranger = await aCustomerWithToken();
      const { setupId } = (await t.http('POST', setupPath(owner.customerId), { token: owner.token, body: { type: 'bank_card' } })).body;
      await answerSignPage(setupId, { token: 'pm_card_visa', action: 'authorise' });

      // Under the stranger's own id: the setup is not theirs, so it does not exist for them.
      const underOwn = await t.http('POST', `${setupPath(stranger.customerId)}/${setupId}/complete`, { token: stranger.token });
      const shownOwn = await t.http('GET', `${setupPath(stranger.customerId)}/${setupId}`, { token: stranger.token });
      const underOwner = await t.http('POST', `${setupPath(owner.customerId)}/${setupId}/complete`, { token: stranger.token });
      expect(underOwn.status).toBe(404);
      expect(underOwn.body).toMatchObject({ code: 'PAYMENT_SETUP.NOT_FOUND' });
      expect(shownOwn.status).toBe(404);
      expect(underOwner.status).toBe(404);
      expect(await countEntity(t, 'paymentMethod')).toBeGreaterThan(0);
      expect((await t.http('GET', `/v1/customers/${stranger.customerId}/payment-methods`, { token: stranger.token })).body.items).toEqual([]);

      const admin = await t.http('POST', `${setupPath(owner.customerId)}/${setupId}/complete`, { token: t.adminToken });
      expect(admin.status).toBe(201);
      expect(admin.body.paymentMethod.display).toBe('Visa ****4242');
    });
  });

  describe('the stand-in sign page', () => {
    it('says which customer and which method type, offers test cards, and escapes what it shows', async () => {
      const { customerId, token } = await aCustomerWithToken({ name: '<script>alert(1)</script>' });
      const { setupId } = (await t.http('POST', setupPath(customerId), { token, body: { type: 'bank_card' } })).body;
      const res = await fetch(`${t.url}/local/provider/setup/${setupId}`);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(html).not.toContain('<script>');
      expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
      expect(html).toContain(customerId);
      expect(html).toContain('Visa •••• 4242');
      expect(html).toContain('requires 3-D Secure');
      const bad = await answerSignPage(setupId, { token: 'tok_made_up', action: 'authorise' });
      expect(bad.status).toBe(400);
      expect((await fetch(`${t.url}/local/provider/setup/seti_sim_nothing`)).status).toBe(404);
    });
  });

  describe('a customer payment the provider wants confirmed', () => {
    async function planPaidBy3ds() {
      const { customerId, token } = await aCustomerWithToken();
      const { setupId } = (await t.http('POST', setupPath(customerId), { token, body: { type: 'bank_card' } })).body;
      await answerSignPage(setupId, { token: 'pm_card_authenticationRequired', action: 'authorise' });
      expect((await t.http('POST', `${setupPath(customerId)}/${setupId}/complete`, { token })).status).toBe(201);
      const plan = await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(customerId, { periods: 3, orderId: `3DS-${seq}` }),
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(plan.status).toBe(201);
      return { planId: plan.body.planId as string, token };
    }

    it('answers 202 with the confirmation page, then the same request with the same key answers the result', async () => {
      // Prepare
      const { planId, token } = await planPaidBy3ds();
      const pay = () => t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': 'pay-3ds-ok' } });

      // Act: the provider asks the customer; asked again before they answered, it still asks.
      const first = await pay();
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({
        status: 'requires_action',
        repayment: { status: 'pending' },
        next: { type: 'redirect', url: expect.stringMatching(/^\/local\/provider\/confirm\//) },
      });
      expect((await pay()).status).toBe(202);
      const confirmPage = await fetch(`${t.url}${first.body.next.url}`);
      expect(await confirmPage.text()).toContain(`CNY ${(first.body.repayment.amount.amount / 100).toFixed(2)}`);
      const approved = await fetch(`${t.url}${first.body.next.url}`, { method: 'POST', body: new URLSearchParams({ action: 'approve' }), redirect: 'manual' });
      expect(approved.status).toBe(303);
      expect(approved.headers.get('location')).toMatch(/^\/\?payment_intent=.+&redirect_status=succeeded$/);
      const result = await pay();

      // Assess
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({ status: 'succeeded', repayment: { status: 'succeeded' }, plan: { paidPeriods: 1 } });
      expect(t.stack.gateway.charges().filter((c) => c.planId === planId)).toHaveLength(1);
      expect((await pay()).headers.get('idempotent-replayed')).toBe('true');
    });

    it('answers the decline once the customer fails the confirmation', async () => {
      const { planId, token } = await planPaidBy3ds();
      const pay = () => t.http('POST', `/v1/plans/${planId}/repayments`, { token, body: { scope: 'next' }, headers: { 'idempotency-key': 'pay-3ds-fail' } });
      const first = await pay();
      const failed = await fetch(`${t.url}${first.body.next.url}`, { method: 'POST', body: new URLSearchParams({ action: 'fail' }), redirect: 'manual' });
      expect(failed.headers.get('location')).toMatch(/redirect_status=failed$/);

      const result = await pay();
      expect(result.status).toBe(402);
      expect(result.body).toMatchObject({ code: 'REPAYMENT.DECLINED', detail: expect.stringContaining('authentication_failed') });
      expect(t.stack.gateway.charges().filter((c) => c.planId === planId)).toHaveLength(0);
    });
  });
});
