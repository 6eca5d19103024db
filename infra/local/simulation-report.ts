/**
 * What `npm run simulate` reports: money per currency (recorded repayments against what the
 * gateway captured — minor units of different currencies are never added together) and daily
 * series for the HTML report (collections, debit attempts, overdue installments, notices by
 * kind). `summarise` is pure; `renderReport` writes a self-contained HTML page whose charts are
 * drawn by uPlot, inlined from node_modules so the file opens offline.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { addDays, type LocalDate } from '../../shared/domain/calendar.ts';
import { type CurrencyCode, minorUnits } from '../../shared/domain/money.ts';
import type { NoticeKind, NoticeRecord } from '../../shared/domain/notices.ts';
import type { RepaymentRecord } from '../../shared/domain/repayment.ts';

export interface SimulatedInstallment {
  status: string;
  /** First local day overdue (YYYY-MM-DD). */
  overdueSince?: string;
  /** Instant paid (ISO 8601). */
  paidAt?: string;
}

export interface SimulationFacts {
  /** First and last day shown, YYYY-MM-DD, both included. */
  from: string;
  to: string;
  plans: ReadonlyArray<{ currency: CurrencyCode; status: string; installments: readonly SimulatedInstallment[] }>;
  repayments: readonly RepaymentRecord[];
  notices: readonly NoticeRecord[];
  /** What the gateway captured, in its own words. */
  captures: ReadonlyArray<{ amount: number; currency: string }>;
}

export interface CurrencyMoney {
  recorded: number;
  captured: number;
  matches: boolean;
}

export interface SimulationSummary {
  money: Record<string, CurrencyMoney>;
  /** The days of every series (UTC calendar days). */
  days: string[];
  /** Succeeded repayments per day, in minor units, per currency. */
  collections: Record<string, number[]>;
  attempts: { succeeded: number[]; failed: number[] };
  /** Installments overdue at the end of each day (overdue since that day or earlier, not yet paid). */
  overdue: number[];
  /** Notices sent per day, per kind. */
  notices: Partial<Record<NoticeKind, number[]>>;
}

/** Every calendar day from `from` to `to`, both included. */
function daysFrom(from: LocalDate, to: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

export function summarise(facts: SimulationFacts): SimulationSummary {
  const days = daysFrom(facts.from, facts.to);
  const index = new Map(days.map((d, i) => [d, i]));
  const zeros = () => days.map(() => 0);
  const at = (instant: string) => index.get(instant.slice(0, 10));

  const money: Record<string, CurrencyMoney> = {};
  const account = (currency: string) => (money[currency] ??= { recorded: 0, captured: 0, matches: true });
  const collections: Record<string, number[]> = {};
  const attempts = { succeeded: zeros(), failed: zeros() };
  for (const r of facts.repayments) {
    const i = at(r.createdAt);
    if (r.status === 'succeeded') {
      account(r.currency).recorded += r.amount;
      if (i !== undefined) (collections[r.currency] ??= zeros())[i]! += r.amount;
      if (i !== undefined) attempts.succeeded[i]! += 1;
    } else if (r.status === 'failed' && i !== undefined) attempts.failed[i]! += 1;
  }
  for (const c of facts.captures) account(c.currency).captured += c.amount;
  for (const m of Object.values(money)) m.matches = m.recorded === m.captured;

  // An installment counts on every day from its first overdue day until the day before it was paid.
  const overdue = zeros();
  for (const plan of facts.plans) {
    for (const inst of plan.installments) {
      if (!inst.overdueSince) continue;
      const paidDay = inst.paidAt?.slice(0, 10);
      days.forEach((day, i) => {
        if (day >= inst.overdueSince! && (paidDay === undefined || day < paidDay)) overdue[i]! += 1;
      });
    }
  }

  const notices: Partial<Record<NoticeKind, number[]>> = {};
  for (const n of facts.notices) {
    if (n.status !== 'sent') continue;
    const i = at(n.sentAt ?? n.createdAt);
    if (i !== undefined) (notices[n.kind] ??= zeros())[i]! += 1;
  }
  return { money, days, collections, attempts, overdue, notices };
}

/** Exact decimal text of minor units: 123456 CNY → `1234.56`, 500 JPY → `500`. */
export function majorUnits(amount: number, currency: CurrencyCode): string {
  const digits = minorUnits(currency);
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  const major = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return amount < 0 ? `-${major}` : major;
}

/** One line per currency: `CNY recorded 1234.00 = captured 1234.00: MATCH`. */
export function moneyLines(money: Record<string, CurrencyMoney>): string[] {
  return Object.entries(money)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, m]) => {
      const fmt = (amount: number) => majorUnits(amount, currency as CurrencyCode);
      return `${currency} recorded ${fmt(m.recorded)} ${m.matches ? '=' : '≠'} captured ${fmt(m.captured)}: ${m.matches ? 'MATCH' : 'MISMATCH'}`;
    });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained HTML page: the text summary and four charts. */
export function renderReport(summary: SimulationSummary, meta: { title: string; lines: readonly string[] }): string {
  const require = createRequire(import.meta.url);
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  // Serialised data only: the page's script reads it, nothing from the data is interpreted as markup.
  const data = JSON.stringify(summary).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(meta.title)}</title>
<style>${uplotCss}
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1f2328; }
pre { background: #f6f8fa; padding: 12px; overflow-x: auto; }
section { margin: 24px 0; }
h2 { font-size: 16px; margin: 0 0 8px; }
</style>
</head>
<body>
<h1>${escapeHtml(meta.title)}</h1>
<pre>${escapeHtml(meta.lines.join('\n'))}</pre>
<section><h2>Collections per day (major units, per currency)</h2><div id="collections"></div></section>
<section><h2>Debit attempts per day</h2><div id="attempts"></div></section>
<section><h2>Installments overdue at the end of each day</h2><div id="overdue"></div></section>
<section><h2>Notices sent per day, by kind</h2><div id="notices"></div></section>
<script>${uplotJs}</script>
<script id="data" type="application/json">${data}</script>
<script>
const s = JSON.parse(document.getElementById('data').textContent);
const x = s.days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
const palette = ['#0969da', '#cf222e', '#1a7f37', '#9a6700', '#8250df', '#bc4c00', '#57606a'];
const width = () => Math.min(960, document.body.clientWidth - 8);
function chart(id, named) {
  const series = [{}].concat(named.map(([label], i) => ({ label, stroke: palette[i % palette.length], width: 2 })));
  new uPlot({ width: width(), height: 240, series, axes: [{}, {}] }, [x].concat(named.map(([, ys]) => ys)), document.getElementById(id));
}
const digits = ${JSON.stringify(Object.fromEntries(Object.keys(summary.money).map((c) => [c, minorUnits(c as CurrencyCode)])))};
chart('collections', Object.entries(s.collections).map(([c, ys]) => [c, ys.map((v) => v / 10 ** digits[c])]));
chart('attempts', [['succeeded', s.attempts.succeeded], ['failed', s.attempts.failed]]);
chart('overdue', [['overdue', s.overdue]]);
chart('notices', Object.entries(s.notices));
</script>
</body>
</html>
`;
}
