/**
 * `npm run simulate -- --plans N --months M [--seed S] [--duplicates] [--timeouts R] [--crashes R]`:
 * the whole lifecycle on the simulated clock at full speed — checkout, reminders, debits,
 * declines and retries, overdue, late fees, notices, the daily reconciliation — optionally under
 * chaos (every message delivered twice, a share R of gateway calls timing out, a share R of
 * workers dying right after the charge), with a progress bar and a final report that checks
 * money against the gateway per currency. `--report <file>` (default `simulate-report.html`)
 * also writes an HTML page with the daily charts: collections, debit attempts, overdue, notices.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bindPaymentMethod, createCustomer } from '../../shared/application/customers.ts';
import { createPlan } from '../../shared/application/plans.ts';
import { addMonthsAnchored, formatLocalDate, parseLocalDate } from '../../shared/domain/calendar.ts';
import type { NoticeRecord } from '../../shared/domain/notices.ts';
import type { RepaymentRecord } from '../../shared/domain/repayment.ts';
import type { FeeTerms } from '../../shared/domain/schedule.ts';
import { moneyLines, renderReport, type SimulationFacts, summarise } from './simulation-report.ts';
import { LocalStack } from './stack.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function fail(message: string): never {
  console.error(
    `simulate: ${message}\nusage: npm run simulate -- --plans <1-5000> --months <1-60> [--seed <int>] [--start YYYY-MM-DD] [--duplicates] [--timeouts <0-1>] [--crashes <0-1>] [--report <file.html>]`,
  );
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        plans: { type: 'string', default: '50' },
        months: { type: 'string', default: '6' },
        seed: { type: 'string', default: '1' },
        start: { type: 'string', default: '2026-01-05' },
        duplicates: { type: 'boolean', default: false },
        timeouts: { type: 'string', default: '0' },
        crashes: { type: 'string', default: '0' },
        report: { type: 'string', default: 'simulate-report.html' },
      },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
})();
const int = (name: string, text: string, min: number, max: number) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
};
const plans = int('plans', values.plans!, 1, 5000);
const months = int('months', values.months!, 1, 60);
const seed = int('seed', values.seed!, 0, 2 ** 31);
const rate = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1) fail(`--${name} must be a share from 0 to 1, got ${JSON.stringify(text)}`);
  return n;
};
const chaos = {
  duplicateDelivery: values.duplicates === true,
  gatewayTimeoutRate: rate('timeouts', values.timeouts!),
  crashAfterChargeRate: rate('crashes', values.crashes!),
  seed,
};
let start: string;
try {
  start = formatLocalDate(parseLocalDate(values.start!));
} catch (err) {
  fail(`--start: ${(err as Error).message}`);
}

/** Deterministic choices from the seed. */
let state = seed || 1;
const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
const pick = <T>(items: ReadonlyArray<readonly [T, number]>): T => {
  let r = next();
  for (const [item, weight] of items) if ((r -= weight) < 0) return item;
  return items[items.length - 1]![0];
};

const TOKENS = [
  ['tok_ok', 0.75],
  ['tok_flaky_30', 0.12],
  ['tok_insufficient_funds', 0.06],
  ['tok_timeout', 0.04],
  ['tok_expired', 0.03],
] as const;
/** Flat fees priced per term, as installment products price them (each well under the APR cap). */
const FLAT_RATE_BY_PERIODS: Readonly<Record<number, string>> = { 3: '0.023', 6: '0.045', 12: '0.075', 24: '0.15' };
const FEES: ReadonlyArray<readonly [FeeTerms, number]> = [
  [{ model: 'flat', rate: 'by term' }, 0.5],
  [{ model: 'flat', rate: '0' }, 0.2],
  [{ model: 'annuity', annualRate: '0.12' }, 0.2],
  [{ model: 'equal_principal', annualRate: '0.10' }, 0.1],
];
const ZONES = [
  ['Asia/Shanghai', 0.8],
  ['America/New_York', 0.2],
] as const;

function bar(done: number, total: number, label: string): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}% ${label}   `);
}

const began = Date.now();
const stack = await LocalStack.start({ prefix: `sim-${seed}`, background: false, logLevel: 'silent' });
try {
  stack.clock.set(new Date(`${start}T01:00:00Z`));
  const planIds: string[] = [];
  const customerIds: string[] = [];
  console.log(`simulating ${plans} plans over ${months} months from ${start} (seed ${seed})`);
  const chaotic = chaos.duplicateDelivery || chaos.gatewayTimeoutRate > 0 || chaos.crashAfterChargeRate > 0;
  if (chaotic)
    console.log(
      `chaos: duplicate delivery ${chaos.duplicateDelivery ? 'on' : 'off'}, gateway timeouts ${chaos.gatewayTimeoutRate}, crashes after charge ${chaos.crashAfterChargeRate}`,
    );
  for (let i = 0; i < plans; i++) {
    const timeZone = pick(ZONES);
    const zh = timeZone === 'Asia/Shanghai';
    const customer = await createCustomer(stack.deps, {
      name: `customer ${i}`,
      phone: zh ? `+86138${String(10_000_000 + i).slice(-8)}` : `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}`,
      locale: zh ? 'zh-CN' : 'en',
      timeZone,
      notifications: { sms: true, email: false },
    });
    if (!customer.ok) throw new Error(customer.error.message);
    const id = customer.value.customerId;
    customerIds.push(id);
    await bindPaymentMethod(stack.deps, id, { type: 'bank_card', token: pick(TOKENS), display: `card ****${String(1000 + i).slice(-4)}`, makeDefault: true });
    if (next() < 0.3) await bindPaymentMethod(stack.deps, id, { type: 'alipay', token: 'tok_ok', display: 'alipay 138****0000' });
    const periods = pick([
      [3, 0.2],
      [6, 0.3],
      [12, 0.4],
      [24, 0.1],
    ] as const);
    const fee = pick(FEES);
    const plan = await createPlan(stack.deps, {
      customerId: id,
      orderId: `SIM-${seed}-${i}`,
      productName: zh ? '小米 15 Pro' : 'Phone 16',
      principal: { amount: 100_000 + Math.floor(next() * 900_000), currency: zh ? 'CNY' : 'USD' },
      periods,
      fee: fee.model === 'flat' && fee.rate === 'by term' ? { model: 'flat', rate: FLAT_RATE_BY_PERIODS[periods]! } : fee,
      purchaseDate: start,
    });
    if (!plan.ok) throw new Error(plan.error.message);
    planIds.push(plan.value.plan.planId);
    bar(i + 1, plans, `created ${i + 1}/${plans} plans`);
  }

  stack.chaos.configure(chaos);
  const end = new Date(`${addMonthsAnchored(start, months, parseLocalDate(start).day)}T00:00:00Z`);
  let sweeps = 0;
  let attempts = 0;
  for (let m = 1; m <= months; m++) {
    const until = new Date(`${addMonthsAnchored(start, m, parseLocalDate(start).day)}T00:00:00Z`);
    const r = await stack.run(until > end ? end : until);
    sweeps += r.sweeps;
    attempts += r.attemptsProcessed;
    bar(m, months, `${until.toISOString().slice(0, 10)}  sweeps ${sweeps}  actions ${attempts}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  // Faults end; what they left in flight is resolved by the status queries that follow.
  stack.chaos.configure({ duplicateDelivery: false, gatewayTimeoutRate: 0, crashAfterChargeRate: 0 });
  const settleUntil = new Date(end.getTime() + 2 * 86_400_000);
  await stack.run(settleUntil);

  // The report: plan and installment states, money recorded vs captured per currency, notices.
  const planStatus = new Map<string, number>();
  const instStatus = new Map<string, number>();
  const repayments: RepaymentRecord[] = [];
  const notices: NoticeRecord[] = [];
  const plansSeen: SimulationFacts['plans'][number][] = [];
  for (const planId of planIds) {
    const detail = await stack.deps.plans.get(planId);
    if (!detail) continue;
    planStatus.set(detail.plan.status, (planStatus.get(detail.plan.status) ?? 0) + 1);
    for (const inst of detail.installments) instStatus.set(inst.status, (instStatus.get(inst.status) ?? 0) + 1);
    plansSeen.push({ currency: detail.plan.currency, status: detail.plan.status, installments: detail.installments });
    repayments.push(...(await stack.deps.plans.listRepayments(planId)));
  }
  for (const customerId of customerIds) {
    for (let cursor: string | undefined, more = true; more; ) {
      const page = await stack.deps.notices.pageByCustomer(customerId, { limit: 100, ...(cursor ? { cursor } : {}) });
      notices.push(...page.notices);
      cursor = page.cursor ?? undefined;
      more = page.cursor !== null;
    }
  }
  const summary = summarise({ from: start, to: settleUntil.toISOString().slice(0, 10), plans: plansSeen, repayments, notices, captures: stack.gateway.charges() });
  const succeeded = repayments.filter((r) => r.status === 'succeeded').length;
  const failed = repayments.filter((r) => r.status === 'failed').length;
  const matched = Object.values(summary.money).every((m) => m.matches);
  const sms = stack.messaging.outbox.filter((m) => m.channel === 'sms').length;
  const seconds = (Date.now() - began) / 1000;
  const runs = stack.reconciliations;
  const differences = runs.reduce((s, r) => s + r.differences, 0);
  const daysWithDifferences = runs.filter((r) => r.differences > 0).map((r) => `${r.date} (${r.differences})`);
  const fmt = (m: Map<string, number>) =>
    [...m]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const byKind = Object.entries(summary.notices)
    .map(([kind, ys]) => `${kind} ${ys.reduce((a, b) => a + b, 0)}`)
    .join(', ');
  const lines = [
    `plans          ${fmt(planStatus)}`,
    `installments   ${fmt(instStatus)}`,
    `repayments     ${succeeded} succeeded, ${failed} failed`,
    ...moneyLines(summary.money).map((line, i) => `${i === 0 ? 'money' : '     '}          ${line}`),
    `reconciliation ${runs.length} days reconciled (${runs[0]?.date ?? '-'} … ${runs.at(-1)?.date ?? '-'}), ${runs.reduce((s, r) => s + r.captures, 0)} captures, differences: ${differences}${daysWithDifferences.length ? ` on ${daysWithDifferences.slice(0, 5).join(', ')}` : ''}`,
    `notices        ${sms} SMS sent${byKind ? ` (${byKind})` : ''}`,
    `sweeps         ${sweeps} (ticks with nothing due are skipped)`,
    `wall time      ${seconds.toFixed(1)} s`,
  ];
  const reportPath = resolve(values.report!);
  writeFileSync(reportPath, renderReport(summary, { title: `repayflow simulation: ${plans} plans over ${months} months from ${start} (seed ${seed})`, lines }));
  console.log(`\nreport\n${lines.map((l) => `  ${l}`).join('\n')}\n  html           ${reportPath}`);
  if (!matched || differences > 0) process.exitCode = 1;
} finally {
  await stack.stop();
}
