/**
 * The customer portal in a real browser, on the simulated clock: sign in from a link, my
 * orders, order detail, repay the next period, records, a refused deferral, pay off, bind a
 * payment method. Screenshots at phone and desktop sizes go to `__screenshots__/`.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { browserAvailable, DESKTOP, eventually, type PortalHarness, startPortal } from './support.ts';

describe.skipIf(!browserAvailable())('Customer portal: from a sign-in link to a paid-off order', () => {
  let p: PortalHarness;
  let page: Page;
  let customerId: string;
  let planId: string;

  beforeAll(async () => {
    p = await startPortal();
    const { t } = p;
    // Prepare: checkout on 31 January 2026, noon in Shanghai; a 12-month phone and a 3-month band.
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: 'Lily Wang', locale: 'en' }) })).body.id;
    await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod() });
    planId = (await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(customerId, { orderId: 'JD-20260131-0001' }), headers: { 'idempotency-key': 'b-1' } })).body
      .planId;
    await t.http('POST', '/v1/plans', {
      token: t.adminToken,
      body: aPlan(customerId, { orderId: 'JD-20260131-0002', productName: 'Mi Band 9', principal: { amount: 24_900, currency: 'CNY' }, periods: 3 }),
      headers: { 'idempotency-key': 'b-2' },
    });
    page = await p.newPage();
  });

  afterAll(async () => {
    await p?.stop();
  });

  it('signs in from /?customer=<id> and lists the orders with progress, per-period amount and next due date', async () => {
    await page.goto(`${p.t.url}/?customer=${customerId}`);

    const card = page.locator(`[data-plan="${planId}"]`);
    await eventually(() => card.textContent()).toContain('Mi 15 Pro 512GB');
    const text = await card.textContent();
    expect(text).toContain('Order JD-20260131-0001');
    expect(text).toContain('0/12 periods paid');
    expect(text).toContain('¥543.92');
    expect(text).toContain('Feb 28, 2026');
    expect(text).toContain('¥6,526.91');
    expect(new URL(page.url()).pathname).toBe('/orders');
    expect(await page.locator('.plan-card').count()).toBe(2);
    await p.shot(page, 'orders-phone');

    await page.getByRole('searchbox').fill('band');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(() => page.locator('.plan-card').count()).toBe(1);
    expect(await page.locator('.plan-card').textContent()).toContain('Mi Band 9');
    await page.getByRole('searchbox').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(() => page.locator('.plan-card').count()).toBe(2);
  });

  it('shows the APR, paid and unpaid periods and every due date on the order detail', async () => {
    await page.locator(`[data-plan="${planId}"] a`).click();

    await eventually(() => page.locator('#apr').textContent()).toBe('15.86%');
    expect(await page.locator('#paid-periods').textContent()).toBe('0');
    expect(await page.locator('#unpaid-periods').textContent()).toBe('12');
    expect(await page.locator('#next-amount').textContent()).toBe('¥543.92');
    const rows = page.locator('#installments tbody tr');
    expect(await rows.count()).toBe(12);
    const dueDates = await rows.locator('td:nth-of-type(1)').allTextContents();
    expect(dueDates.slice(0, 4)).toEqual(['Feb 28, 2026', 'Mar 31, 2026', 'Apr 30, 2026', 'May 31, 2026']);
    expect(await rows.first().textContent()).toContain('¥499.92');
    await p.shot(page, 'order-phone');
    const desktop = await p.newPage(DESKTOP);
    await desktop.goto(`${p.t.url}/?customer=${customerId}`);
    await desktop.locator(`[data-plan="${planId}"] a`).click();
    await eventually(() => desktop.locator('#apr').textContent()).toBe('15.86%');
    await p.shot(desktop, 'order-desktop');
    await desktop.close();
  });

  it('repays the next period once, even when the first answer is lost, and lists it as manual', async () => {
    // Prepare: the first payment reaches the server, but its answer never reaches the browser.
    const keys: string[] = [];
    await page.route('**/v1/plans/*/repayments', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push((await route.request().allHeaders())['idempotency-key'] ?? '');
      if (keys.length === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.locator('#repay-next').click();
    const dialog = page.getByRole('dialog');
    await eventually(() => dialog.textContent()).toContain('Period 1, due Feb 28, 2026: ¥543.92.');
    await p.shot(page, 'repay-next-phone', { fullPage: false });
    await dialog.getByRole('button', { name: 'Pay ¥543.92' }).click();
    await eventually(() => dialog.getByRole('alert').textContent()).toContain('The network is unreachable');

    // Act: the customer tries again.
    await dialog.getByRole('button', { name: 'Pay ¥543.92' }).click();

    // The receipt, then back to the order.
    await eventually(() => page.locator('#payment-result').textContent()).toBe('Paid ¥543.92');
    expect(await page.locator('#receipt').textContent()).toContain('Period 1');
    await p.shot(page, 'receipt-phone');
    await page.locator('#receipt-back').click();
    await eventually(() => page.locator('#paid-periods').textContent()).toBe('1');
    expect(await page.locator('#installments tbody tr').first().textContent()).toContain('Paid');
    const charges = (await p.t.http('GET', '/local/gateway/charges')).body.items.filter((c: { planId: string }) => c.planId === planId);
    expect(charges).toHaveLength(1);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    await page.unroute('**/v1/plans/*/repayments');

    await page.locator('#records-link').click();
    const record = page.locator('#records li').first();
    await eventually(() => record.textContent()).toContain('Manual payment');
    expect(await record.getAttribute('data-kind')).toBe('manual');
    expect(await record.textContent()).toContain('¥543.92');
    expect(await record.textContent()).toContain('招商银行 ****1234');
    expect(await record.textContent()).toContain('Succeeded');
    await p.shot(page, 'records-phone');
    await page.goBack();
  });

  it('defers a period once and shows why a second deferral is refused', async () => {
    await page.locator('#defer').click();
    await page.locator('#defer-period').selectOption('2');
    await page.locator('#defer-days').fill('10');
    await page.locator('#defer-submit').click();
    await eventually(() => page.locator('#installments tbody tr[data-period="2"]').textContent()).toContain('Apr 10, 2026');
    expect(await page.locator('#installments tbody tr[data-period="2"]').textContent()).toContain('Deferred');

    await page.locator('#defer').click();
    await page.locator('#defer-period').selectOption('3');
    await page.locator('#defer-days').fill('5');
    await page.locator('#defer-submit').click();

    const alert = page.getByRole('dialog').getByRole('alert');
    await eventually(() => alert.textContent()).toBe('Deferral refused: this plan has already used its deferrals.');
    await p.shot(page, 'deferral-refused-phone', { fullPage: false });
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it('quotes the payoff with the future fees waived, asks to confirm and pays the plan off', async () => {
    await page.locator('#pay-off').click();
    const dialog = page.getByRole('dialog');
    // 11 periods left: principal 5,499.08; their fees (11 × 44.00 − 0.01) are waived.
    await eventually(() => dialog.locator('#payoff-total').textContent()).toBe('¥5,499.08');
    expect(await dialog.locator('#payoff-waived').textContent()).toBe('−¥483.91');
    const pay = dialog.locator('#pay-submit');
    expect(await pay.isDisabled()).toBe(true);
    await p.shot(page, 'payoff-quote-phone', { fullPage: false });
    await dialog.getByLabel('I want to pay off this plan now.').check();
    await pay.click();

    await eventually(() => page.locator('#receipt').textContent()).toContain('This plan is paid off.');
    await page.locator('#receipt-back').click();
    await eventually(() => page.locator('#all-paid').textContent()).toBe('All paid. Thank you!');
    expect(await page.locator('.hero .badge').textContent()).toBe('Paid off');
    expect(await page.locator('#outstanding').textContent()).toBe('¥0.00');
    expect(await page.locator('#repay-next').count()).toBe(0);
    await p.shot(page, 'paid-off-phone');
  });

  it('binds a payment method as the new default', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Payment methods' }).click();
    await eventually(() => page.locator('#methods li').count()).toBe(1);

    // Through WeChat Pay's (stand-in) signing page, and back.
    await page.locator('#bind-default').check();
    await page.locator('#add-wechat_pay').click();
    await page.waitForURL(/\/local\/provider\/setup\//);
    await page.getByLabel(/微信支付 138\*\*\*\*5678 — pays at once/).check();
    await page.locator('#authorise').click();
    await page.waitForURL(/\/methods$/);

    await eventually(() => page.locator('#methods li').count()).toBe(2);
    const first = page.locator('#methods li').first();
    expect(await first.textContent()).toContain('微信支付 138****5678');
    expect(await first.textContent()).toContain('Default');
    await p.shot(page, 'methods-phone');
  });

  it('makes the earlier card the default again', async () => {
    const card = page.locator('#methods li').filter({ hasNotText: '微信' });
    await card.locator('[data-action="make-default"]').click();

    await eventually(async () => (await page.locator('#methods li').first().textContent()) ?? '').not.toContain('微信');
    expect(await page.locator('#methods li').first().textContent()).toContain('Default');
    expect(await page.locator('#methods li').nth(1).locator('[data-action="make-default"]').count()).toBe(1);
  });
});
