/**
 * Binding WeChat Pay in a real browser: the portal's "Add WeChat Pay" goes to the signing page of
 * the WeChat Pay fake (the stand-in for WeChat's own 委托代扣 page), the customer agrees and comes
 * back to the portal, which completes the binding from WeChat's contract query; the method shows
 * the masked account taken from WeChat's contract. In English and in Chinese, at phone size.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/emulators.ts';
import { ENV } from '../../shared/config/env.ts';
import { aCustomer } from '../builders/requests.ts';
import { startWechatPayFake, type WechatPayFake } from '../fakes/wechat-pay/wechat-pay-fake.ts';
import { browserAvailable, eventually, type PortalHarness, startPortal } from './support.ts';

describe.skipIf(!browserAvailable())('Portal: binding WeChat Pay through its signing page', () => {
  let p: PortalHarness;
  let wechat: WechatPayFake;
  let page: Page;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    const port = await freePort();
    wechat = await startWechatPayFake({ returnUrl: `http://127.0.0.1:${port}/methods` });
    const k = wechat.keys;
    const env: Record<string, string> = {
      [ENV.wechatPayMchId]: k.mchId,
      [ENV.wechatPayAppId]: k.appId,
      [ENV.wechatPaySerial]: k.serial,
      [ENV.wechatPayPrivateKey]: k.privateKey,
      [ENV.wechatPayApiV3Key]: k.apiV3Key,
      [ENV.wechatPayPlatformPublicKey]: k.platformPublicKey,
      [ENV.wechatPayPlatformSerial]: k.platformSerial,
      [ENV.wechatPayPlanId]: String(k.planId),
      [ENV.wechatPayNotifyUrl]: `http://127.0.0.1:${port}/v1/webhooks/wechat-pay`,
      [ENV.wechatPayBase]: k.base,
    };
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    p = await startPortal({ gateway: 'providers' }, port);
    page = await p.newPage();
  });
  afterAll(async () => {
    await p?.stop();
    await wechat?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it.each([
    ['en', '+8613700000041', 'Payment methods'],
    ['zh-CN', '+8613700000042', '支付方式'],
  ])("signs on WeChat's page and comes back to a bound WeChat Pay method, masked as WeChat reports it (%s)", async (locale, phone, methodsLink) => {
    // Prepare
    const customerId = (await p.t.http('POST', '/v1/customers', { token: p.t.adminToken, body: aCustomer({ name: 'Mei Chen', locale, phone }) })).body.id as string;

    // Act: portal → add WeChat Pay → WeChat's signing page → agree → back to the portal.
    await page.goto(`${p.t.url}/?customer=${customerId}`);
    await page.getByRole('navigation').getByRole('link', { name: methodsLink }).click();
    await page.locator('#add-wechat_pay').click();
    await page.waitForURL((url) => url.href.startsWith(wechat.url));
    await expect(page.locator('h1').textContent()).resolves.toContain('开通免密支付');
    await p.shot(page, `wechat-pay-sign-page-phone-${locale}`);
    await page.locator('#sign').click();
    await page.waitForURL(/\/methods/);

    // Assess: active, with the contract WeChat reports, masked.
    const contract = wechat.contracts().find((c) => c.displayAccount === customerId);
    expect(contract?.state).toBe('SIGNED');
    const masked = `微信支付 ****${contract!.contractId.slice(-4)}`;
    await eventually(() => page.locator('#methods li').first().textContent()).toContain(masked);
    await p.shot(page, `wechat-pay-bound-phone-${locale}`);
    const methods = (await p.t.http('GET', `/v1/customers/${customerId}/payment-methods`, { token: p.t.adminToken })).body.items;
    expect(methods).toEqual([expect.objectContaining({ type: 'wechat_pay', display: masked })]);
    // WeChat's signing notification reached the webhook route and was acknowledged.
    await eventually(() => wechat.deliveries().filter((d) => d.eventType === 'PAPAY.SIGN' && d.url.endsWith('/v1/webhooks/wechat-pay')).length).toBeGreaterThan(0);
  });
});
