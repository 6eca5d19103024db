/**
 * The README's "Try it" walkthrough, run as written: its shell block is read from README.md
 * and run with bash against a local stack seeded as `npm start` seeds it. Only the address
 * changes (`localhost:3000` → this stack's port).
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../infra/local/seed.ts';
import { startTestStack, type TestStack } from '../support/local.ts';

const README = new URL('../../README.md', import.meta.url);

/** The first ```sh block after the "## Try it" heading, before the next heading. */
function tryItBlock(markdown: string): string {
  const section = /^## Try it\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1];
  if (!section) throw new Error('README.md has no "## Try it" section');
  const block = /^```sh\n([\s\S]*?)^```/m.exec(section)?.[1];
  if (!block) throw new Error('the "Try it" section of README.md has no ```sh block');
  return block;
}

/** Splits the concatenated JSON documents curl and jq print into values. */
function jsonDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth++ === 0) start = i;
    } else if ((ch === '}' || ch === ']') && --depth === 0) docs.push(JSON.parse(text.slice(start, i + 1)));
  }
  return docs;
}

describe('README: "Try it"', () => {
  let t: TestStack;
  let result: { stdout: string; stderr: string };
  let demo: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    // Prepare: the tools the walkthrough needs, a stack seeded as `npm start` seeds it.
    for (const tool of ['bash', 'curl', 'jq']) {
      expect(spawnSync(tool, ['--version'], { stdio: 'ignore' }).status, `${tool} must be installed (.ci/run installs it)`).toBe(0);
    }
    t = await startTestStack();
    demo = await seedDemo(t.stack);
    const port = new URL(t.url).port;
    const block = tryItBlock(readFileSync(README, 'utf8'));
    expect(block).toContain('localhost:3000');
    const script = `set -euo pipefail\n${block.replaceAll('localhost:3000', `127.0.0.1:${port}`)}\nprintf '\\nCUS=%s PLAN=%s\\n' "$CUS" "$PLAN"\n`;

    // Act
    result = await promisify(execFile)('bash', ['-c', script], { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('runs without an error and creates the customer and the plan', () => {
    expect(result.stderr).toBe('');
    const ids = /CUS=(\S*) PLAN=(\S*)/.exec(result.stdout);
    expect(ids?.[1]).toMatch(/^cus_/);
    expect(ids?.[2]).toMatch(/^plan_/);
  });

  it('prints the clock, the bound card, the run, the texts, the plan and its repayment', () => {
    const docs = jsonDocuments(result.stdout) as Array<Record<string, any>>;
    const [clock, method, run, ...rest] = docs;
    expect(clock).toEqual({ now: '2026-01-31T04:00:00.000Z', simulated: true });
    expect(method).toMatchObject({ type: 'bank_card', display: '招商银行 ****1234', isDefault: true });
    expect(run).toMatchObject({ now: '2026-02-28T02:00:00.000Z' });
    expect(run!.attemptsProcessed).toBeGreaterThanOrEqual(1);

    const repayments = rest.pop()!;
    const plan = rest.pop()!;
    const sms = rest as Array<{ channel: string; to: string; body: string; at: string }>;
    // Two reminders (25 and 27 Feb, 10:00 Shanghai) and the debit's receipt (28 Feb 09:00).
    expect(sms.map((m) => m.at)).toEqual(['2026-02-25T02:00:00.000Z', '2026-02-27T02:00:00.000Z', '2026-02-28T01:00:00.000Z']);
    expect(sms.every((m) => m.channel === 'sms' && m.to === '+8613912345678')).toBe(true);
    expect(sms[2]!.body).toContain('¥543.92');
    expect(plan).toEqual({ status: 'active', paidPeriods: 1, unpaidPeriods: 11, nextDueDate: '2026-03-31' });
    expect(repayments.items).toHaveLength(1);
    expect(repayments.items[0]).toMatchObject({ kind: 'auto', periods: [1], status: 'succeeded', amount: { amount: 54_392, currency: 'CNY' } });
  });

  it('lets the demo plans live through the same month: one debited, one declined and overdue', async () => {
    const plans = Object.fromEntries(await Promise.all(demo.map(async (d) => [d.customerId, (await t.stack.deps.plans.get(d.planId))!.plan] as const)));
    expect(plans.cus_demo_li).toMatchObject({ status: 'active', paidPeriods: 1 });
    expect(plans.cus_demo_amy).toMatchObject({ status: 'overdue', paidPeriods: 0 });
    expect(t.stack.messaging.outbox.some((m) => m.to === '+8613800138000' && m.at === '2026-02-10T01:00:00.000Z')).toBe(true);
  });
});
