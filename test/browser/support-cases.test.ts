/**
 * The support story in the browser, in Chinese and in English at phone size: a customer's
 * debit fails → the customer opens an extension request from the failed repayment record →
 * support answers it and approves it from the console → the customer gets the SMS and sees
 * the new due date.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { browserAvailable, eventually, type PortalHarness, startPortal } from './support.ts';

// 10:00 on the first due date in Shanghai: the 09:00 debit was declined.
const DUE_DAY = '2026-02-28T02:00:00Z';

const STORIES = [
  {
    lang: 'zh' as const,
    locale: 'zh-CN',
    name: '韩梅梅',
    phone: '+8613700000021',
    text: {
      records: '还款记录',
      contact: '对这笔扣款有疑问？联系客服',
      category: 'extension_request',
      message: '工资晚到几天，第1期能否延期10天？',
      open: '待客服处理',
      answer: '已收到，我们为您办理延期。',
      answered: '已答复',
      approved: '已批准',
      newDue: '2026年3月10日',
      smsReply: '客服已回复',
      smsDeferred: '还款日已延至2026-03-10',
    },
  },
  {
    lang: 'en' as const,
    locale: 'en',
    name: 'Amy Chen',
    phone: '+8613700000022',
    text: {
      records: 'Repayment records',
      contact: 'Question about this debit? Contact support',
      category: 'extension_request',
      message: 'My salary is a few days late. Could installment 1 move by 10 days?',
      open: 'Waiting for support',
      answer: 'Thanks, we are arranging the extension.',
      answered: 'Answered',
      approved: 'Approved',
      newDue: 'Mar 10, 2026',
      smsReply: 'Support replied',
      smsDeferred: 'now due on 2026-03-10',
    },
  },
];

describe.skipIf(!browserAvailable())('Support: from a failed debit to an approved extension, in the browser', () => {
  let p: PortalHarness;

  beforeAll(async () => {
    p = await startPortal();
  });

  afterAll(async () => {
    await p?.stop();
  });

  describe.each(STORIES)('$locale at phone size', ({ lang, locale, name, phone, text }) => {
    let customerId: string;
    let planId: string;
    let customer: Page;
    let caseId: string;

    beforeAll(async () => {
      const { t } = p;
      // Prepare: a 3-month plan bought on 28 January, on a card without funds; its first debit fails.
      await t.http('POST', '/local/clock', { body: { now: '2026-01-28T04:00:00Z' } });
      customerId = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer({ name, locale, phone }) })).body.id;
      await t.http('POST', `/v1/customers/${customerId}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token: 'tok_insufficient_funds' }) });
      planId = (
        await t.http('POST', '/v1/plans', {
          token: t.adminToken,
          body: aPlan(customerId, { periods: 3, purchaseDate: '2026-01-28', productName: 'Mi Band 9' }),
          headers: { 'idempotency-key': `support-${lang}` },
        })
      ).body.planId;
      await t.http('POST', '/local/run', { body: { until: DUE_DAY } });
      customer = await p.newPage();
    });

    it('opens an extension request from the failed repayment record', async () => {
      await customer.goto(`${p.t.url}/?customer=${customerId}`);
      await customer.locator(`[data-plan="${planId}"] a`).click();
      await customer.getByRole('link', { name: new RegExp(text.records) }).click();
      const failed = customer.locator('#records li[data-status="failed"]').first();
      await failed.getByRole('link', { name: text.contact }).click();

      await eventually(() => customer.locator('#case-period').inputValue()).toBe('1');
      await customer.locator('#case-category').selectOption(text.category);
      await customer.locator('#case-days').fill('10');
      await customer.locator('#case-message').fill(text.message);
      await p.shot(customer, `support-new-case-${lang}-phone`);
      await customer.locator('#case-submit').click();

      await customer.waitForURL(/\/support\/case_/);
      caseId = decodeURIComponent(new URL(customer.url()).pathname.split('/').pop() ?? '');
      await eventually(() => customer.locator('#thread').textContent()).toContain(text.message);
      expect(await customer.locator('.case-view .badge').first().textContent()).toBe(text.open);
      await p.shot(customer, `support-case-open-${lang}-phone`);
      // The case names the failed debit it came from.
      const stored = await p.t.http('GET', `/v1/support/cases/${caseId}`, { token: p.t.adminToken });
      expect(stored.body).toMatchObject({ category: 'extension_request', planId, period: 1, days: 10 });
      expect(stored.body.repaymentId).toMatch(new RegExp(`^${planId}:1:`));
    });

    it('is answered and approved by support from the console', async () => {
      const ops = await p.newPage();
      await ops.goto(`${p.t.url}/signin`);
      await ops.locator('#locale-switcher').selectOption(locale);
      await ops.getByRole('button', { name: lang === 'zh' ? '登录运营视图' : 'Sign in to the ops view' }).click();
      await ops
        .getByRole('navigation')
        .first()
        .getByRole('link', { name: lang === 'zh' ? '客服工单' : 'Support inbox' })
        .click();
      const item = ops.locator(`#inbox li[data-case="${caseId}"]`);
      await eventually(() => item.count()).toBe(1);
      await p.shot(ops, `support-inbox-${lang}-phone`);
      await item.locator('a').click();

      await ops.locator('#reply-message').fill(text.answer);
      await ops.locator('#reply-submit').click();
      await eventually(() => ops.locator('.case-view .badge').first().textContent()).toBe(text.answered);
      await ops.locator('#case-approve').click();
      await eventually(() => ops.locator('.case-view .badge').first().textContent()).toBe(text.approved);
      expect(await ops.locator('#case-new-due-date').textContent()).toBe(text.newDue);
      await p.shot(ops, `support-approved-console-${lang}-phone`);
      await ops.close();
    });

    it('tells the customer by SMS, and shows the new due date', async () => {
      // Deliver what was published (the notifier runs on the local queues).
      await p.t.http('POST', '/local/run', { body: { until: DUE_DAY } });
      const outbox = (await p.t.http('GET', '/local/outbox?channel=sms')).body as { items: Array<{ to: string; body: string }> };
      const sms = outbox.items.filter((m) => m.to === phone);
      expect(sms.filter((m) => m.body.includes(text.smsReply))).toHaveLength(1);
      expect(sms.filter((m) => m.body.includes(text.smsDeferred))).toHaveLength(1);

      await customer.reload();
      await eventually(() => customer.locator('.case-view .badge').first().textContent()).toBe(text.approved);
      expect(await customer.locator('#case-new-due-date').textContent()).toBe(text.newDue);
      expect(await customer.locator('#thread li[data-author="operator"]').textContent()).toContain(text.answer);
      await p.shot(customer, `support-case-approved-${lang}-phone`);

      await customer.locator('#case-plan').click();
      const first = customer.locator('#installments tbody tr[data-period="1"]');
      await eventually(() => first.textContent()).toContain(text.newDue);
      await p.shot(customer, `support-order-after-${lang}-phone`);
      await customer.close();
    });
  });
});
