/**
 * Browser tests drive the Debian chromium (`/usr/bin/chromium`) with playwright-core: no
 * browser download. Each test file gets a fresh profile directory, its own local stack (which
 * serves the built portal at `/`) and pages at a phone and a desktop size.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LocalStackOptions } from '../../infra/local/stack.ts';
import { buildPortal } from '../../web/build.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Whether the browser tests can run. Without chromium they are skipped on a developer machine
 * (with a message saying how to get it) but fail in CI, where .ci/run installs it.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install chromium (see .ci/run)`);
  console.warn(`[browser tests] skipped: ${CHROMIUM} not found. Install it with: apt-get update && apt-get install -y chromium`);
  return false;
}

/** `expect.poll` with room for a busy machine (its default gives up after one second). */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 10_000, interval: 50 });
}

export interface PortalHarness {
  t: TestStack;
  context: BrowserContext;
  /** A new tab at the given viewport size. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Saves a screenshot as `__screenshots__/<name>.png`: the whole page, or what is on screen (dialogs). */
  shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export async function startPortal(options: LocalStackOptions = {}, port = 0): Promise<PortalHarness> {
  await buildPortal();
  const t = await startTestStack(options, port);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'repayflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: PHONE, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(10_000);
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    t,
    context,
    async newPage(viewport = PHONE) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      page.on('pageerror', (err) => console.error(`[portal] ${err.message}`));
      return page;
    },
    async shot(page, name, options = {}) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true, animations: 'disabled' });
    },
    async stop() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
      await t.stop();
    },
  };
}

/**
 * A phone-sized page signed in as staff (the local sign-in page's admin account), the portal in
 * `locale`, on the operations console.
 */
export async function openOpsConsole(p: PortalHarness, locale: 'en' | 'zh-CN'): Promise<Page> {
  const page = await p.newPage(PHONE);
  await page.goto(`${p.t.url}/signin`);
  await page.evaluate((l) => sessionStorage.setItem('repayflow.locale', l), locale);
  await page.goto(`${p.t.url}/signin`);
  await page.locator('.signin__ops button').click();
  await page.locator('#open-console').click();
  return page;
}
