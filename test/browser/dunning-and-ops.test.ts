/**
 * The portal when a debit fails, in Chinese: the next try, the reason, a declined manual
 * repayment shown inline, "action needed" for an expired card, messages, preferences, the
 * language switcher, the local sign-in page and the ops view.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { browserAvailable, DESKTOP, eventually, type PortalHarness, startPortal } from './support.ts';

describe.skipIf(!browserAvailable())('Portal after failed debits: reasons, next tries, actions, messages and the ops view', () => {
  let p: PortalHarness;
  let page: Page;
  let hanId: string;
  let hanPlan: string;
  let amyId: string;
  let amyPlan: string;

  beforeAll(async () => {
    p = await startPortal();
    const { t } = p;
    // Prepare: two 3-month plans bought on 28 January; one card without funds, one expired.
    await t.http('POST', '/local/clock', { body: { now: '2026-01-28T04:00:00Z' } });
    hanId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: '韩梅梅', locale: 'zh-CN', phone: '+8613700000011' }) })).body.id;
    await t.http('POST', `/v1/customers/${hanId}/payment-methods`, {
      token: t.adminToken,
      body: aPaymentMethod({ token: 'tok_insufficient_funds', display: '招商银行 ****1234' }),
    });
    hanPlan = (
      await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(hanId, { orderId: 'JD-0128-1', productName: '小米手环 9', principal: { amount: 29_900, currency: 'CNY' }, periods: 3, purchaseDate: '2026-01-28' }),
        headers: { 'idempotency-key': 'd-1' },
      })
    ).body.planId;
    amyId = (
      await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: 'Amy Chen', locale: 'en', phone: '+8613700000012', timeZone: 'Asia/Shanghai' }) })
    ).body.id;
    await t.http('POST', `/v1/customers/${amyId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'tok_expired', display: 'Visa ****0005' }) });
    amyPlan = (
      await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(amyId, { orderId: 'JD-0128-2', periods: 3, purchaseDate: '2026-01-28' }),
        headers: { 'idempotency-key': 'd-2' },
      })
    ).body.planId;
    // Act: to 10:00 on the due date, Shanghai: reminders sent, both debits declined.
    await t.http('POST', '/local/run', { body: { until: '2026-02-28T02:00:00Z' } });
    page = await p.newPage();
  });

  afterAll(async () => {
    await p?.stop();
  });

  it('follows the customer’s locale and shows the failed debit with its reason and next try', async () => {
    await page.goto(`${p.t.url}/?customer=${hanId}`);
    await eventually(() => page.locator('h1').textContent()).toBe('我的订单');
    expect(await page.locator(`[data-plan="${hanPlan}"]`).textContent()).toContain('已还 0/3 期');

    await page.locator(`[data-plan="${hanPlan}"] a`).click();
    const first = page.locator('#installments tbody tr[data-period="1"]');
    await eventually(() => first.textContent()).toContain('扣款失败');
    expect(await first.textContent()).toContain('下次扣款 3月1日 09:00');
    expect(await first.textContent()).toContain('余额不足');
    await p.shot(page, 'failed-debit-zh-phone');
  });

  it('shows a declined repayment inline, then pays with a newly bound card', async () => {
    await page.locator('#repay-next').click();
    await page.getByRole('dialog').locator('#pay-submit').click();
    const alert = page.getByRole('dialog').getByRole('alert');
    await eventually(() => alert.textContent()).toBe('支付未成功：余额不足。请选择或绑定其他支付方式后重试。');
    await p.shot(page, 'declined-inline-zh-phone', { fullPage: false });
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();

    const order = page.url();
    await page.getByRole('navigation').getByRole('link', { name: '支付方式' }).click();
    await page.locator('#bind-default').check();
    await page.locator('#add-bank_card').click();
    await page.waitForURL(/\/local\/provider\/setup\//);
    await page.getByLabel(/Visa •••• 4242/).check();
    await page.locator('#authorise').click();
    await eventually(() => page.locator('#methods li').first().textContent()).toContain('Visa ****4242');
    await p.shot(page, 'methods-zh-phone');

    await page.goto(order);
    await page.locator('#repay-next').click();
    const dialog = page.getByRole('dialog');
    await eventually(() => dialog.locator('#pay-method option:checked').textContent()).toContain('Visa ****4242');
    await dialog.locator('#pay-submit').click();
    await eventually(() => page.locator('#payment-result').textContent()).toContain('已还款');
    await page.locator('#receipt-back').click();
    await eventually(() => page.locator('#paid-periods').textContent()).toBe('1');
  });

  it('lists the messages sent, with kind, channel, status and text', async () => {
    await page.getByRole('navigation').getByRole('link', { name: '消息' }).click();
    const failed = page.locator('#notices li[data-kind="repayment_failed"]').first();
    await eventually(() => failed.textContent()).toContain('余额不足');
    expect(await failed.textContent()).toContain('短信');
    expect(await failed.textContent()).toContain('已发送');
    expect(await page.locator('#notices li[data-kind="reminder"]').count()).toBe(2);
    await p.shot(page, 'notices-zh-phone');
  });

  it('saves notification preferences and switches language', async () => {
    await page.getByRole('navigation').getByRole('link', { name: '设置' }).click();
    await page.locator('label:has(#notify-sms)').click();
    await eventually(async () => (await p.t.http('GET', `/v1/customers/${hanId}`, { token: p.t.adminToken })).body.notifications.sms).toBe(false);

    await page.locator('#locale-switcher').selectOption('en');
    await eventually(() => page.locator('h1').textContent()).toBe('Settings');
    expect((await p.t.http('GET', `/v1/customers/${hanId}`, { token: p.t.adminToken })).body.locale).toBe('zh-CN');
    await page.locator('#profile-locale').selectOption('en');
    await eventually(async () => (await p.t.http('GET', `/v1/customers/${hanId}`, { token: p.t.adminToken })).body.locale).toBe('en');
    await p.shot(page, 'settings-phone');
  });

  it('says what to do when a card has expired (action needed, no retry)', async () => {
    const desktop = await p.newPage(DESKTOP);
    await desktop.goto(`${p.t.url}/signin`);
    await desktop.locator(`button[data-customer="${amyId}"]`).click();
    await desktop.locator(`[data-plan="${amyPlan}"] a`).click();

    await eventually(() => desktop.locator('#action-needed').textContent()).toContain('the card has expired');
    const first = desktop.locator('#installments tbody tr[data-period="1"]');
    expect(await first.textContent()).toContain('Action needed');
    expect(await first.textContent()).not.toContain('Next try');
    await p.shot(desktop, 'action-needed-desktop');
    await desktop.close();
  });

  it('lets staff look up a customer and their plans in the ops view', async () => {
    const ops = await p.newPage(DESKTOP);
    await ops.goto(`${p.t.url}/signin`);
    await eventually(() => ops.locator('.account').count()).toBe(2);
    await p.shot(ops, 'signin-desktop');
    await ops.getByRole('button', { name: 'Sign in to the ops view' }).click();
    await ops.locator('#ops-customer').fill(amyId);
    await ops.getByRole('button', { name: 'Find' }).click();

    await eventually(() => ops.locator(`#ops-result [data-plan="${amyPlan}"]`).textContent()).toContain('JD-0128-2');
    expect(await ops.locator('#ops-result').textContent()).toContain('+8613700000012');
    await ops.locator(`#ops-result [data-plan="${amyPlan}"] a`).click();
    await eventually(() => ops.locator('#apr').textContent()).toMatch(/%$/);
    await ops.goBack();
    await eventually(() => ops.locator(`#ops-result [data-plan="${amyPlan}"]`).count()).toBe(1);
    await eventually(() => ops.locator('#clock-now').count()).toBe(1);
    await p.shot(ops, 'ops-desktop');
    await ops.close();
  });
  it('pages through many orders with "load more"', async () => {
    const { t } = p;
    const many = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: 'Li Ming', locale: 'en', phone: '+8613700000013' }) })).body.id;
    for (let n = 1; n <= 12; n++) {
      await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(many, { orderId: `JD-MANY-${n}`, productName: `Accessory ${n}`, principal: { amount: 10_000, currency: 'CNY' }, periods: 3, purchaseDate: '2026-02-28' }),
        headers: { 'idempotency-key': `many-${n}` },
      });
    }
    const tab = await p.newPage();
    await tab.goto(`${t.url}/?customer=${many}`);

    await eventually(() => tab.locator('.plan-card').count()).toBe(10);
    await tab.locator('#load-more').click();
    await eventually(() => tab.locator('.plan-card').count()).toBe(12);
    expect(await tab.locator('#load-more').count()).toBe(0);
    const orders = await tab.locator('.plan-card__order').allTextContents();
    expect(new Set(orders).size).toBe(12);
    await tab.close();
  });

  it('pays part of what is due, oldest period first', async () => {
    await page.goto(`${p.t.url}/orders/${hanPlan}`);
    const before = await p.t.http('GET', `/v1/plans/${hanPlan}`, { token: p.t.adminToken });
    await page.locator('#pay-amount').click();
    await page.locator('#pay-amount-input').fill('50');
    await eventually(() => page.locator('#pay-submit').textContent()).toBe('Pay ¥50.00');
    await page.locator('#pay-submit').click();
    await page.locator('#receipt-back').click();

    await eventually(() => page.locator('#outstanding').textContent()).toBe(`¥${((before.body.outstanding.amount - 5_000) / 100).toFixed(2)}`);
    await page.locator('#records-link').click();
    // Every manual action here happens at the same simulated instant, so look the record up by amount.
    const partial = page.locator('#records li', { hasText: '¥50.00' });
    await eventually(() => partial.count()).toBe(1);
    expect(await partial.getAttribute('data-kind')).toBe('manual');
    expect(await partial.getAttribute('data-status')).toBe('succeeded');
  });

  it('catches up an overdue period with its late fee', async () => {
    // Act: three days past the grace period of Amy's declined first period.
    await p.t.http('POST', '/local/run', { body: { until: '2026-03-06T04:00:00Z' } });
    await p.t.http('POST', `/v1/customers/${amyId}/payment-methods`, {
      token: p.t.adminToken,
      body: aPaymentMethod({ token: 'tok_ok', display: 'Mastercard ****4444', makeDefault: true }),
    });
    const tab = await p.newPage();
    await tab.goto(`${p.t.url}/?customer=${amyId}`);
    await tab.locator(`[data-plan="${amyPlan}"] a`).click();

    const row = tab.locator('#installments tbody tr[data-period="1"]');
    await eventually(() => row.textContent()).toContain('Overdue');
    const lateFee = (await p.t.http('GET', `/v1/plans/${amyPlan}`, { token: p.t.adminToken })).body.installments[0].lateFee.amount;
    expect(lateFee).toBeGreaterThan(0);
    expect(await tab.getByRole('alert').first().textContent()).toContain('including late fees');
    await p.shot(tab, 'overdue-phone');
    await tab.locator('#repay-overdue').click();
    await eventually(() => tab.getByRole('dialog').textContent()).toContain('Period 1 overdue:');
    await p.shot(tab, 'repay-overdue-phone', { fullPage: false });
    await tab.getByRole('dialog').locator('#pay-submit').click();
    await tab.locator('#receipt-back').click();

    await eventually(() => tab.locator('.hero .badge').textContent()).toBe('Repaying');
    expect(await row.textContent()).toContain('Paid');
    expect(await tab.locator('#repay-overdue').count()).toBe(0);
    await tab.close();
  });

  it('shows the API reference at /docs readably on a phone: no sideways page scroll, the operations in reach', async () => {
    const tab = await p.newPage();
    await tab.goto(`${p.t.url}/docs`);
    // The page itself fits the phone's width; wide tables scroll inside their own box.
    const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The operation list does not fill the screen: the first operation is visible without scrolling.
    const firstOp = tab.locator('section.op').first();
    const box = await firstOp.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeLessThan(844);
    expect(box!.width).toBeLessThanOrEqual(390);
    await p.shot(tab, 'api-docs-phone', { fullPage: false });
    await tab.close();
  });
});
