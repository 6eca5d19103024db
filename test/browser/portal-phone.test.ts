/**
 * The customer portal on a phone (390 × 844), in Chinese and in English: a plan in trouble
 * looks it and offers only what makes sense, amounts agree between list and detail, refusals
 * are in the reader's language, amounts may be typed with full-width digits, a receipt follows
 * a payment, dates carry the year when the history spans years, icons are drawn (not Unicode
 * glyphs), touch targets are at least 44 px, and Chinese text uses Chinese punctuation.
 *
 * Every screen is photographed in both languages: `test/browser/__screenshots__/phone/<lang>/`
 * (gitignored; CI keeps the folder as an artifact).
 */

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { browserAvailable, eventually, PHONE, type PortalHarness, SCREENSHOTS, startPortal } from './support.ts';

type Lang = 'zh-CN' | 'en';
const LANGS: Lang[] = ['zh-CN', 'en'];
const GLYPHS = /[‹›×▤▭✉⚙☷]/;
const CJK = /[\u3400-\u9fff]/;
const ASCII_PUNCTUATION_IN_CHINESE = /[\u3400-\u9fff][,:;!?()]|[,:;!?()][\u3400-\u9fff]/;

describe.skipIf(!browserAvailable())('Customer portal on a phone, in Chinese and English', { timeout: 240_000 }, () => {
  let p: PortalHarness;
  let page: Page;
  let lily: string;
  let lilyPlan: string;
  let han: string;
  let overduePlan: string;
  let defaultedPlan: string;

  /** Shows the page in a language (the header's switcher) and waits for it to render again. */
  async function speak(lang: Lang): Promise<void> {
    await page.locator('#locale-switcher').selectOption(lang);
    await eventually(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
    await page.waitForLoadState('networkidle');
  }

  async function shot(lang: Lang, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    const dir = path.join(SCREENSHOTS, 'phone', lang);
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: options.fullPage ?? true, animations: 'disabled' });
  }

  /** Controls a finger can hit that are smaller than 44 × 44 px. */
  async function smallTargets(): Promise<string[]> {
    return page.evaluate(() => {
      const selector = 'button, a[href], select, input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]), label.check, label.switch-row';
      return [...document.querySelectorAll<HTMLElement>(selector)]
        .filter((el) => {
          if (el.closest('label.check, label.switch-row') && el.tagName === 'INPUT') return false;
          const style = getComputedStyle(el);
          if (style.visibility === 'hidden' || style.display === 'none' || el.closest('.skip-link, [hidden]')) return false;
          const box = el.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) return false;
          return box.height < 44 || box.width < 44;
        })
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} "${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`,
        );
    });
  }

  /** What every screen must get right, in either language. */
  async function checkScreen(lang: Lang, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    await shot(lang, name, options);
    expect(await smallTargets(), `${lang} ${name}: touch targets`).toEqual([]);
    const text = await page.evaluate(() => document.body.textContent ?? '');
    expect(text, `${lang} ${name}: drawn icons, not glyphs`).not.toMatch(GLYPHS);
    if (lang === 'zh-CN') expect(text.match(ASCII_PUNCTUATION_IN_CHINESE)?.[0], `${lang} ${name}: Chinese punctuation`).toBeUndefined();
    // Dates never break across lines.
    const wrapping = await page.evaluate(() => [...document.querySelectorAll('time, .date')].filter((el) => getComputedStyle(el).whiteSpace !== 'nowrap').length);
    expect(wrapping, `${lang} ${name}: dates on one line`).toBe(0);
  }

  beforeAll(async () => {
    p = await startPortal();
    const { t } = p;
    // Prepare: Lily pays on time since December 2025; Han's card has no funds: one plan
    // overdue, one (with a short default policy) in default.
    await t.http('POST', '/local/clock', { body: { now: '2025-11-28T04:00:00Z' } });
    lily = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: 'Lily Wang', locale: 'en', phone: '+8613700000021' }) })).body.id;
    await t.http('POST', `/v1/customers/${lily}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ display: '招商银行 ****1234' }) });
    lilyPlan = (
      await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(lily, { orderId: 'JD-20251128-0001', purchaseDate: '2025-11-28' }),
        headers: { 'idempotency-key': 'phone-1' },
      })
    ).body.planId;
    han = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name: '韩梅梅', locale: 'zh-CN', phone: '+8613700000022' }) })).body.id;
    await t.http('POST', `/v1/customers/${han}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'tok_insufficient_funds', display: '工商银行 ****9876' }) });
    overduePlan = (
      await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(han, { orderId: 'JD-20251128-0002', productName: '小米手环 9', principal: { amount: 29_900, currency: 'CNY' }, periods: 3, purchaseDate: '2025-11-28' }),
        headers: { 'idempotency-key': 'phone-2' },
      })
    ).body.planId;
    // A plan is created under the policy of its day: this one defaults after 5 overdue days.
    const policy = t.stack.deps.settings.policy;
    t.stack.deps.settings.policy = { ...policy, defaultAfterDays: 5 };
    defaultedPlan = (
      await t.http('POST', '/v1/plans', {
        token: t.adminToken,
        body: aPlan(han, {
          orderId: 'JD-20251128-0003',
          productName: 'Redmi Pad 2',
          principal: { amount: 149_900, currency: 'CNY' },
          periods: 6,
          purchaseDate: '2025-11-28',
        }),
        headers: { 'idempotency-key': 'phone-3' },
      })
    ).body.planId;
    t.stack.deps.settings.policy = policy;
    // Act: to noon on 28 January 2026, Shanghai: Lily's December and January debits went through; Han's did not.
    await t.http('POST', '/local/run', { body: { until: '2026-01-28T04:00:00Z' } });
    page = await p.newPage(PHONE);
  }, 600_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('signs in from a page that fits the phone in both languages', async () => {
    await page.goto(`${p.t.url}/signin`);
    for (const lang of LANGS) {
      await speak(lang);
      await eventually(() => page.locator('.account').count()).toBeGreaterThan(0);
      await checkScreen(lang, 'signin');
    }
  });

  it('sets a plan in trouble apart and offers only what makes sense; list and detail agree on the amount', async () => {
    await page.goto(`${p.t.url}/?customer=${han}`);
    await eventually(() => page.locator('.plan-card').count()).toBe(2);
    const defaultedCard = page.locator(`[data-plan="${defaultedPlan}"]`);
    const overdueCard = page.locator(`[data-plan="${overduePlan}"]`);
    await eventually(() => defaultedCard.getAttribute('data-status')).toBe('defaulted');
    expect(await overdueCard.getAttribute('data-status')).toBe('overdue');
    expect(await defaultedCard.getAttribute('class')).toContain('plan-card--defaulted');
    expect(await defaultedCard.locator('.plan-card__alert').count()).toBe(1);
    expect(await overdueCard.locator('.plan-card__alert').count()).toBe(1);
    for (const lang of LANGS) {
      await speak(lang);
      await checkScreen(lang, 'orders-in-trouble');
    }

    for (const [planId, name] of [
      [defaultedPlan, 'order-defaulted'],
      [overduePlan, 'order-overdue'],
    ] as const) {
      await page.goto(`${p.t.url}/orders`);
      const card = page.locator(`[data-plan="${planId}"]`);
      await eventually(() => card.locator('[data-next-amount]').textContent()).toMatch(/¥/);
      const cardAmount = await card.locator('[data-next-amount]').textContent();
      await card.locator('a').click();
      await eventually(() => page.locator('#next-amount').textContent()).toBe(cardAmount);
      // Nothing that cannot help: no "next period", no deferral of a plan that is behind.
      expect(await page.locator('#repay-next').count()).toBe(0);
      expect(await page.locator('#defer').count()).toBe(0);
      expect(await page.locator('#repay-overdue').count()).toBe(1);
      const hero = await page.locator('.hero').getAttribute('class');
      expect(hero).toContain(planId === defaultedPlan ? 'hero--defaulted' : 'hero--overdue');
      if (planId === defaultedPlan) expect(await page.locator('#pay-off').count()).toBe(0);
      for (const lang of LANGS) {
        await speak(lang);
        await checkScreen(lang, name);
      }
    }
  });

  it('words the overdue periods as a list, translates every refusal and takes full-width digits', async () => {
    await page.goto(`${p.t.url}/orders/${overduePlan}`);
    await speak('zh-CN');
    await page.locator('#repay-overdue').click();
    const dialog = page.getByRole('dialog');
    await eventually(() => dialog.locator('.lead').textContent()).toContain('第 1 期已逾期');
    expect(await dialog.textContent()).not.toContain('逾期期数');
    await checkScreen('zh-CN', 'repay-overdue', { fullPage: false });

    // A refusal the portal has no words for yet: a Chinese reader gets Chinese, not the API's English.
    await page.route('**/v1/plans/*/repayments', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 409,
            contentType: 'application/problem+json',
            body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, code: 'REPAYMENT.SOMETHING_NEW', detail: 'the plan is locked for maintenance' }),
          })
        : route.continue(),
    );
    await dialog.locator('#pay-submit').click();
    const alert = dialog.getByRole('alert');
    await eventually(() => alert.textContent()).toMatch(CJK);
    expect(await alert.textContent()).not.toContain('maintenance');
    expect(await alert.textContent()).toBe('操作未能完成，请稍后重试或联系客服。');
    await checkScreen('zh-CN', 'refusal-translated', { fullPage: false });
    await dialog.getByRole('button', { name: '取消' }).click();
    await page.unroute('**/v1/plans/*/repayments');

    for (const lang of LANGS) {
      await speak(lang);
      await page.locator('#pay-amount').click();
      const sheet = page.getByRole('dialog');
      const input = sheet.locator('#pay-amount-input');
      await eventually(() => input.count()).toBe(1);
      expect(await sheet.locator('.affix__prefix').textContent()).toBe('¥');
      await input.fill('１２．３４');
      await eventually(() => sheet.locator('#pay-submit').textContent()).toBe(lang === 'en' ? 'Pay ¥12.34' : '支付 ¥12.34');
      await input.fill('12.345');
      await sheet.locator('#pay-submit').click();
      await eventually(() => sheet.getByRole('alert').textContent()).toBe(lang === 'en' ? 'Use at most 2 digits after the decimal point.' : '小数点后最多 2 位。');
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      await checkScreen(lang, 'pay-amount-refused', { fullPage: false });
      await input.fill('十二元');
      await sheet.locator('#pay-submit').click();
      await eventually(() => sheet.getByRole('alert').textContent()).toBe(lang === 'en' ? 'Enter the amount in digits, like 123.45.' : '请用数字填写金额，例如 123.45。');
      await input.fill('99999');
      await sheet.locator('#pay-submit').click();
      await eventually(() => sheet.getByRole('alert').textContent()).toMatch(
        lang === 'en' ? /^That is more than what is outstanding \(¥[\d,.]+\)\.$/ : /^超过了剩余待还（¥[\d,.]+）。$/,
      );
      await sheet.getByRole('button', { name: lang === 'en' ? 'Cancel' : '取消' }).click();
    }
  });

  it('shows the messages and settings screens in both languages', async () => {
    for (const [route, name] of [
      ['/notices', 'notices'],
      ['/settings', 'settings'],
      ['/methods', 'methods'],
    ] as const) {
      await page.goto(`${p.t.url}${route}`);
      for (const lang of LANGS) {
        await speak(lang);
        await eventually(() => page.locator('.loading').count()).toBe(0);
        await checkScreen(lang, name);
      }
    }
  });

  it('keeps paid rows quiet, shows a receipt after paying, and dates the records with their year', async () => {
    await page.goto(`${p.t.url}/?customer=${lily}`);
    const card = page.locator(`[data-plan="${lilyPlan}"]`);
    await eventually(() => card.locator('[data-next-amount]').textContent()).toMatch(/¥/);
    for (const lang of LANGS) {
      await speak(lang);
      await checkScreen(lang, 'orders');
    }
    const cardAmount = await card.locator('[data-next-amount]').textContent();
    await card.locator('a').click();
    await eventually(() => page.locator('#next-amount').textContent()).toBe(cardAmount);
    expect(await page.locator('.hero').getAttribute('class')).toContain('hero--active');
    expect(await page.locator('#defer').count()).toBe(1);
    const paidRow = page.locator('#installments tbody tr[data-period="1"]');
    await eventually(() => paidRow.getAttribute('class')).toContain('row--paid');
    expect(await paidRow.locator('.cell-amount').textContent()).not.toContain('¥0.00');
    expect(await paidRow.locator('.cell-amount').textContent()).toContain('¥543.92');
    for (const lang of LANGS) {
      await speak(lang);
      await checkScreen(lang, 'order');
    }

    await page.locator('#repay-next').click();
    await eventually(() => page.locator('#pay-submit').isEnabled()).toBe(true);
    await checkScreen('en', 'repay-next', { fullPage: false });
    await page.locator('#pay-submit').click();
    await page.waitForURL(/\/receipts\//);
    await eventually(() => page.locator('#payment-result').textContent()).toBe('Paid ¥543.92');
    expect(await page.locator('#receipt').textContent()).toContain('Period 3');
    expect(await page.locator('#receipt').textContent()).toContain('招商银行 ****1234');
    for (const lang of LANGS) {
      await speak(lang);
      await eventually(() => page.locator('#payment-result').textContent()).toBe(lang === 'en' ? 'Paid ¥543.92' : '已还款 ¥543.92');
      await checkScreen(lang, 'receipt');
    }

    await page.locator('#receipt-records').click();
    const times = page.locator('#records time');
    await eventually(() => times.count()).toBe(3);
    const dates = (await times.allTextContents()).join(' | ');
    expect(dates).toContain('2025');
    expect(dates).toContain('2026');
    for (const lang of LANGS) {
      await speak(lang);
      await eventually(() => page.locator('#records time').count()).toBe(3);
      await checkScreen(lang, 'records');
    }
    expect(await page.locator('#records li').first().textContent()).toContain('Period 3');
  });
});
