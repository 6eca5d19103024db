/**
 * The operations console at phone size, in English and in Chinese: today's agenda by hour, the
 * 30-day charts drawn on canvases with data, and a dead letter redriven from its button.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aPaymentMethod, aPlan } from '../builders/requests.ts';
import { browserAvailable, eventually, openOpsConsole, type PortalHarness, startPortal } from './support.ts';

describe.skipIf(!browserAvailable())('Operations console at phone size', () => {
  let p: PortalHarness;
  let sqs: SQSClient;

  /** Signs in as staff (the local sign-in page's admin account) with the portal in `locale`. */
  async function openConsole(locale: 'en' | 'zh-CN'): Promise<Page> {
    const page = await openOpsConsole(p, locale);
    await eventually(() => page.locator('#agenda-hours').count()).toBe(1);
    return page;
  }

  beforeAll(async () => {
    p = await startPortal();
    const { t } = p;
    sqs = new SQSClient({ endpoint: t.stack.endpoints.sqs, region: 'us-east-1', useQueueUrlAsEndpoint: false, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // Two plans bought on 31 January: one card pays, one declines; both debits ran on 28 February.
    await t.http('POST', '/local/clock', { body: { now: '2026-01-31T04:00:00Z' } });
    const planIds: string[] = [];
    for (const token of ['tok_ok', 'tok_insufficient_funds', 'tok_ok']) {
      const id = (await t.http('POST', '/v1/customers', { token: t.adminToken, body: aCustomer() })).body.id;
      await t.http('POST', `/v1/customers/${id}/payment-methods`, { token: t.adminToken, body: aPaymentMethod({ token }) });
      planIds.push((await t.http('POST', '/v1/plans', { token: t.adminToken, body: aPlan(id, { periods: 3 }), headers: { 'idempotency-key': `console-${id}` } })).body.planId);
    }
    await t.stack.run(new Date('2026-02-28T00:30:00Z'));
    // The third plan's debit is claimed and dead-lettered before any worker handles it.
    t.stack.clock.set(new Date('2026-02-28T01:10:00Z'));
    await t.stack.sweep({}, {} as never);
    const q = t.stack.resources.queues.repaymentAttempts;
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    const kept = Messages.find((m) => JSON.parse(m.Body!).planId === planIds[2]);
    const rest = Messages.filter((m) => m !== kept);
    await sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: kept!.Body! }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: kept!.ReceiptHandle! }));
    for (const m of rest) await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: m.Body! }));
    for (const m of rest) await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle! }));
    await t.stack.drain();
    t.stack.clock.set(new Date('2026-02-28T02:00:00Z'));
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  });

  it("shows today's agenda by hour and the charts with data, in English", async () => {
    const page = await openConsole('en');

    await eventually(() => page.locator('h1').textContent()).toBe('Operations console');
    const nine = page.locator('#agenda-hours tr[data-hour="9"]');
    expect(await nine.locator('td').allTextContents()).toEqual(['2', '0', '2', '1', '1', '0']);
    for (const id of ['chart-agenda', 'chart-collections', 'chart-overdue', 'chart-declines']) {
      await eventually(() => page.locator(`#${id} canvas`).count()).toBe(1);
      const box = await page.locator(`#${id} canvas`).boundingBox();
      expect(box!.width, id).toBeGreaterThan(200);
    }
    expect(await page.locator('#chart-collections').getAttribute('data-points')).toBe('30');
    expect(await page.locator('#chart-declines').textContent()).toContain('Declines');
    expect(await page.locator('#ops-days').textContent()).toContain('Current → overdue');
    await p.shot(page, 'ops-console-phone-en');
    await page.close();
  });

  it('redrives a dead letter from its button, in Chinese, and the debit gets done', async () => {
    const page = await openConsole('zh-CN');

    await eventually(() => page.locator('h1').textContent()).toBe('运营控制台');
    const attempts = page.locator('[data-queue="repaymentAttempts"]');
    await eventually(() => attempts.locator('.ops-queue__depth').getAttribute('data-depth')).toBe('1');
    await p.shot(page, 'ops-console-phone-zh');
    await attempts.getByRole('button', { name: '重新投递' }).click();
    await eventually(() => page.locator('#toast').textContent()).toContain('已将 1 条消息送回原队列');
    await eventually(() => attempts.locator('.ops-queue__depth').getAttribute('data-depth')).toBe('0');

    await p.t.stack.drain();
    await page.reload();
    // Redriven at 10:00 Shanghai, the third debit is counted in that hour.
    await eventually(() => page.locator('#agenda-hours tr[data-hour="10"] td').allTextContents()).toEqual(['1', '0', '1', '1', '0', '0']);
    await p.shot(page, 'ops-console-phone-zh-after-redrive');
    await page.close();
  });
});
