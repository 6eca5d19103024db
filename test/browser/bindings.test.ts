/**
 * Binding on first use and confirming a payment, in a real browser against the local stack:
 * the portal starts a setup, the customer authorises on the provider's (stand-in) page and
 * comes back to a bound card; a payment the card's bank wants confirmed goes to the
 * (stand-in) 3-D Secure page and back, and the portal shows what the provider answered.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPlan } from '../builders/requests.ts';
import { browserAvailable, eventually, type PortalHarness, startPortal } from './support.ts';

describe.skipIf(!browserAvailable())('Portal: binding through the provider and confirming payments', () => {
  let p: PortalHarness;
  let page: Page;
  let customerId: string;
  let planId: string;

  beforeAll(async () => {
    p = await startPortal();
    const { t } = p;
    // Prepare: a customer with no payment method yet and a 3-month plan bought today.
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: 'Lily Wang', locale: 'en', phone: '+8613700000021' }) })).body.id;
    planId = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId, { periods: 3, orderId: 'JD-3DS-1' }), headers: { 'idempotency-key': 'bind-plan' } }))
      .body.planId;
    page = await p.newPage();
  });

  afterAll(async () => {
    await p?.stop();
  });

  async function bindCard(choice: RegExp) {
    await page.getByRole('navigation').getByRole('link', { name: 'Payment methods' }).click();
    await page.locator('#bind-default').check();
    await page.locator('#add-bank_card').click();
    await page.waitForURL(/\/local\/provider\/setup\/seti_sim_/);
    await page.getByLabel(choice).check();
    await page.locator('#authorise').click();
    await page.waitForURL(/\/methods$/);
  }

  it("binds a card through the provider's page and lists it masked", async () => {
    await page.goto(`${p.t.url}/?customer=${customerId}`);
    await eventually(() => page.locator('.plan-card').count()).toBe(1);
    await page.getByRole('navigation').getByRole('link', { name: 'Payment methods' }).click();
    expect(await page.locator('#bind-token').count()).toBe(0);
    await page.locator('#add-bank_card').click();

    // The provider's page says who and what, and offers test cards.
    await page.waitForURL(/\/local\/provider\/setup\/seti_sim_/);
    expect(await page.locator('#customer').textContent()).toContain('Lily Wang');
    expect(await page.locator('#method-type').textContent()).toContain('Bank card');
    await p.shot(page, 'provider-sign-page-phone');
    await page.getByLabel(/Visa •••• 4242/).check();
    await page.locator('#authorise').click();

    await page.waitForURL(/\/methods$/);
    await eventually(() => page.locator('#methods li').first().textContent()).toContain('Visa ****4242');
    expect(await page.locator('#methods li').first().textContent()).toContain('Default');
    await p.shot(page, 'methods-bound-phone');
  });

  it('pays with a card that needs 3-D Secure: confirm page, Approve, paid', async () => {
    await bindCard(/requires 3-D Secure/);
    await eventually(() => page.locator('#methods li').first().textContent()).toContain('Visa ****3184');

    await page.goto(`${p.t.url}/orders/${planId}`);
    await page.locator('#repay-next').click();
    const dialog = page.getByRole('dialog');
    await eventually(() => dialog.locator('#pay-method option:checked').textContent()).toContain('Visa ****3184');
    await dialog.locator('#pay-submit').click();

    await page.waitForURL(/\/local\/provider\/confirm\//);
    expect(await page.locator('#amount').textContent()).toMatch(/^CNY \d+\.\d\d$/);
    await p.shot(page, 'provider-confirm-page-phone');
    await page.locator('#approve').click();

    await page.waitForURL(new RegExp(`/orders/${planId}$`));
    await eventually(() => page.locator('#payment-result').textContent()).toContain('Paid');
    await page.locator('#receipt-back').click();
    await eventually(() => page.locator('#paid-periods').textContent()).toBe('1');
    expect(p.t.stack.gateway.charges().filter((c) => c.planId === planId)).toHaveLength(1);
  });

  it('shows the failure when the customer fails the confirmation', async () => {
    await page.locator('#repay-next').click();
    await page.getByRole('dialog').locator('#pay-submit').click();
    await page.waitForURL(/\/local\/provider\/confirm\//);
    await page.locator('#fail').click();

    await page.waitForURL(new RegExp(`/orders/${planId}$`));
    const result = page.locator('#payment-result');
    await eventually(() => result.textContent()).toContain('The payment was declined: your bank did not confirm the payment.');
    expect(await result.getAttribute('role')).toBe('alert');
    expect(await page.locator('#paid-periods').textContent()).toBe('1');
    await p.shot(page, 'confirm-failed-phone');
  });
});
