/**
 * Binding Alipay in a real browser: the portal's "Add Alipay" goes to the signing page of the
 * Alipay fake (the stand-in for Alipay's own), the customer agrees with a test account and
 * comes back to the portal, which completes the binding from Alipay's agreement query.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/emulators.ts';
import { aCustomer } from '../builders/requests.ts';
import { type AlipayFake, startAlipayFake } from '../fakes/alipay/alipay-fake.ts';
import { browserAvailable, eventually, type PortalHarness, startPortal } from './support.ts';

describe.skipIf(!browserAvailable())('Portal: binding Alipay through its signing page', () => {
  let p: PortalHarness;
  let alipay: AlipayFake;
  let page: Page;
  let customerId: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    alipay = await startAlipayFake();
    const port = await freePort();
    const env = {
      ALIPAY_APP_ID: alipay.appId,
      ALIPAY_PRIVATE_KEY: alipay.appPrivateKey,
      ALIPAY_PUBLIC_KEY: alipay.alipayPublicKey,
      ALIPAY_GATEWAY: alipay.gateway,
      ALIPAY_NOTIFY_URL: `http://127.0.0.1:${port}/v1/webhooks/alipay`,
      ALIPAY_RETURN_ORIGIN: `http://127.0.0.1:${port}`,
    };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    p = await startPortal({ gateway: 'providers' }, port);
    customerId = (await p.t.http('POST', '/v1/customers', { token: p.t.adminToken, body: aCustomer({ name: 'Mei Chen', locale: 'en', phone: '+8613700000031' }) })).body.id;
    page = await p.newPage();
  });
  afterAll(async () => {
    await p?.stop();
    await alipay?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("signs on Alipay's page and comes back to a bound Alipay account, masked as Alipay reports it", async () => {
    await page.goto(`${p.t.url}/?customer=${customerId}`);
    await page.getByRole('navigation').getByRole('link', { name: 'Payment methods' }).click();
    await page.locator('#add-alipay').click();

    await page.waitForURL((url) => url.href.startsWith(alipay.gateway));
    expect(await page.locator('#external-logon-id').textContent()).toBe(customerId);
    await p.shot(page, 'alipay-sign-page-phone');
    await page.getByLabel(/138\*\*\*\*5678/).check();
    await page.locator('#agree').click();

    await page.waitForURL(/\/methods/);
    await eventually(() => page.locator('#methods li').first().textContent()).toContain('alipay 138****5678');
    await p.shot(page, 'alipay-bound-phone');
    const methods = (await p.t.http('GET', `/v1/customers/${customerId}/payment-methods`, { token: p.t.adminToken })).body.items;
    expect(methods).toEqual([expect.objectContaining({ type: 'alipay', display: 'alipay 138****5678' })]);
    // Alipay's signing notify reached the webhook route and was acknowledged.
    await eventually(() =>
      alipay
        .notifications()
        .filter((n) => n.form.notify_type === 'dut_user_sign')
        .map((n) => n.answer),
    ).toEqual(['success']);
  });
});
