/**
 * The operators' lists at phone size, in English and in Chinese: the failed repayment attempts
 * with their reason and next retry, and the overdue plans, each opened from the console.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { browserAvailable, eventually, openOpsConsole, type PortalHarness, startPortal } from './support.ts';

describe.skipIf(!browserAvailable())('Operations lists at phone size', () => {
  let p: PortalHarness;
  let declined: string;

  /** Signs in as staff with the portal in `locale` and opens the lists from the console. */
  async function openLists(locale: 'en' | 'zh-CN'): Promise<Page> {
    const page = await openOpsConsole(p, locale);
    await page.locator('#open-lists').click();
    await eventually(() => page.locator('#ops-rows').getAttribute('data-list')).toBe('failed-attempts');
    return page;
  }

  beforeAll(async () => {
    p = await startPortal();
    const { t } = p;
    // Two plans bought on 31 January: one card pays, one declines from 28 February on, past its grace.
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    const planIds: string[] = [];
    for (const token of ['tok_ok', 'tok_insufficient_funds']) {
      const id = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body.id;
      await t.http('POST', `/v1/customers/${id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token }) });
      planIds.push((await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(id, { periods: 3 }), headers: { 'idempotency-key': `lists-${id}` } })).body.planId);
    }
    declined = planIds[1]!;
    await t.stack.run(new Date('2026-03-04T03:00:00Z'));
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('shows the failed attempts with reason and retry, then the overdue plans, in English', async () => {
    const page = await openLists('en');

    await eventually(() => page.locator('h1').textContent()).toBe('Operations lists');
    const rows = page.locator('#ops-rows .ops-row');
    expect(await rows.count()).toBeGreaterThan(0);
    const texts = await rows.allTextContents();
    expect(texts.every((x) => x.includes(declined) && x.includes('Reason: insufficient funds'))).toBe(true);
    expect(texts.some((x) => x.includes('next retry'))).toBe(true);
    await p.shot(page, 'ops-lists-failed-phone-en');

    await page.locator('#ops-list-select').selectOption('overdue');
    await eventually(() => page.locator('#ops-rows').getAttribute('data-list')).toBe('overdue');
    expect(await page.locator('#ops-rows .ops-row').count()).toBe(1);
    expect(await page.locator(`#ops-rows .ops-row[data-plan="${declined}"]`).textContent()).toContain('Overdue');
    expect(new URL(page.url()).search).toBe('?list=overdue');
    await p.shot(page, 'ops-lists-overdue-phone-en');
    await page.close();
  });

  it('pages the failed attempts with load more, then shows the overdue plans, in Chinese', async () => {
    const page = await openLists('zh-CN');
    await eventually(() => page.locator('h1').textContent()).toBe('运营清单');
    const all = await page.locator('#ops-rows .ops-row').allTextContents();
    expect(all.length).toBeGreaterThan(2);
    expect(all.every((x) => x.includes('原因：余额不足'))).toBe(true);

    // Two a page: "load more" walks the cursor until the last page, each attempt once.
    await page.goto(`${p.t.url}/ops/lists?list=failed-attempts&limit=2`);
    await eventually(() => page.locator('#ops-rows .ops-row').count()).toBe(2);
    while (await page.locator('#ops-load-more').isVisible()) {
      const before = await page.locator('#ops-rows .ops-row').count();
      await page.locator('#ops-load-more').click();
      await eventually(async () => (await page.locator('#ops-rows .ops-row').count()) > before).toBe(true);
    }
    expect(await page.locator('#ops-rows .ops-row').allTextContents()).toEqual(all);
    await p.shot(page, 'ops-lists-failed-phone-zh');

    await page.locator('#ops-list-select').selectOption('overdue');
    await eventually(() => page.locator(`#ops-rows .ops-row[data-plan="${declined}"]`).count()).toBe(1);
    expect(await page.locator('#ops-load-more').isHidden()).toBe(true);
    await p.shot(page, 'ops-lists-overdue-phone-zh');
    await page.close();
  });
});
