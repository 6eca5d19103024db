/**
 * Operations counters: what a committed plan change adds to the day's tallies (debits due,
 * attempted, paid, failed, wallets pending, reminders, installments turning overdue, plans
 * turning overdue or defaulting, money collected per currency, declines per reason), and how
 * the tallies, kept per UTC hour, read as a local day by hour or as days with rates.
 *
 * The tallies are written in the same transaction as the change they count, so a change
 * committed once is counted once, and one that is refused (a duplicate delivery, a lost claim)
 * is not counted at all. Nothing is ever counted by reading plans back.
 */
import { addDays, type LocalDate, localDateOf, localMinutesOf, zonedInstant } from './calendar.ts';
import type { Installment, Plan } from './plan.ts';
import type { RepaymentRecord } from './repayment.ts';

/** Events counted per hour. `attempted` counts automatic attempts; `due` their first attempt. */
export const OPS_EVENTS = ['due', 'reminded', 'attempted', 'paid', 'failed', 'pending', 'manual', 'overdue', 'plansOverdue', 'defaulted'] as const;
export type OpsEvent = (typeof OPS_EVENTS)[number];

/** A tally kept per key: money collected per currency (minor units), declines per code. */
export type OpsKeyedCounter = `collected:${string}` | `decline:${string}`;

/** One increment: `by` (1 unless said) added to `counter` in the UTC hour of `at`. */
export interface OpsCount {
  at: string;
  counter: OpsEvent | OpsKeyedCounter;
  by: number;
}

/** What the change did, as the domain sees it: the state read and the change written. */
export interface CountedChange {
  before: { plan: Plan; installments: readonly Installment[] };
  plan: Plan;
  installments: readonly Installment[];
  alsoUnlocked?: readonly Installment[];
  record?: RepaymentRecord;
  settlesPending?: boolean;
}

const attemptNumberOf = (record: RepaymentRecord) => Number(record.id.split(':').pop());

/** The increments a change committed at `now` adds; empty when it changes nothing counted. */
export function opsCountsOf(change: CountedChange, now: Date): OpsCount[] {
  const at = now.toISOString();
  const counts: OpsCount[] = [];
  const add = (counter: OpsCount['counter'], by = 1, when = at) => {
    if (by !== 0) counts.push({ at: when, counter, by });
  };
  const record = change.record;
  if (record?.kind === 'auto') {
    if (change.settlesPending) {
      // The wallet answered: the attempt is no longer waiting, in the hour it started waiting.
      add('pending', -1, record.createdAt);
    } else {
      add('attempted');
      if (attemptNumberOf(record) === 1) add('due');
    }
    if (record.status === 'pending' && !change.settlesPending) add('pending');
  }
  if (record?.status === 'succeeded') {
    add(record.kind === 'auto' ? 'paid' : 'manual');
    add(`collected:${record.currency}`, record.amount);
  }
  if (record?.kind === 'auto' && record.status === 'failed') {
    add('failed');
    add(`decline:${record.failureCode ?? 'unknown'}`);
  }

  const before = new Map(change.before.installments.map((i) => [i.period, i]));
  for (const inst of [...change.installments, ...(change.alsoUnlocked ?? [])]) {
    const was = before.get(inst.period);
    add('reminded', Math.max(0, inst.remindersSent.length - (was?.remindersSent.length ?? 0)));
    if (inst.status === 'overdue' && was?.status !== 'overdue') add('overdue');
  }
  if (change.plan.status !== change.before.plan.status) {
    if (change.plan.status === 'overdue') add('plansOverdue');
    if (change.plan.status === 'defaulted') add('defaulted');
  }
  return counts;
}

/** A stored tally: one counter over the 24 hours of one UTC date (hours without a count absent). */
export interface OpsTally {
  utcDate: string;
  counter: OpsCount['counter'];
  hours: ReadonlyArray<number | undefined>;
}

/** The UTC dates whose hours cover the local dates from..to in `timeZone`. */
export function utcDatesCovering(from: LocalDate, to: LocalDate, timeZone: string): string[] {
  const start = zonedInstant(from, '00:00', timeZone).getTime();
  const end = zonedInstant(addDays(to, 1), '00:00', timeZone).getTime();
  const dates: string[] = [];
  for (let t = start - (start % 86_400_000); t < end; t += 86_400_000) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

/**
 * Every counted hour as the local date and hour it starts in. A zone whose offset is not whole
 * hours (Asia/Kolkata) sees each UTC hour in the local hour it starts in.
 */
function* localHours(tallies: readonly OpsTally[], timeZone: string) {
  for (const tally of tallies) {
    for (let h = 0; h < 24; h++) {
      const value = tally.hours[h];
      if (!value) continue;
      const instant = new Date(`${tally.utcDate}T${String(h).padStart(2, '0')}:00:00.000Z`);
      yield { date: localDateOf(instant, timeZone), hour: Math.floor(localMinutesOf(instant, timeZone) / 60), counter: tally.counter, value };
    }
  }
}

export type EventCounts = Record<OpsEvent, number>;
const zero = (): EventCounts => Object.fromEntries(OPS_EVENTS.map((e) => [e, 0])) as EventCounts;
const isEvent = (counter: string): counter is OpsEvent => (OPS_EVENTS as readonly string[]).includes(counter);

export interface DayTotals extends EventCounts {
  date: LocalDate;
  /** Minor units per currency. */
  collected: Record<string, number>;
  declines: Record<string, number>;
}

/** One local day by hour (0–23) and in total. */
export function agendaOf(tallies: readonly OpsTally[], date: LocalDate, timeZone: string): { hours: EventCounts[]; totals: DayTotals } {
  const hours = Array.from({ length: 24 }, zero);
  const totals = daysOf(tallies, date, date, timeZone)[0]!;
  for (const c of localHours(tallies, timeZone)) {
    if (c.date === date && isEvent(c.counter)) hours[c.hour]![c.counter] += c.value;
  }
  return { hours, totals };
}

/** Each local date from..to with its totals (days without anything counted are zeros). */
export function daysOf(tallies: readonly OpsTally[], from: LocalDate, to: LocalDate, timeZone: string): DayTotals[] {
  const days = new Map<LocalDate, DayTotals>();
  for (let d = from; d <= to; d = addDays(d, 1)) days.set(d, { date: d, ...zero(), collected: {}, declines: {} });
  for (const c of localHours(tallies, timeZone)) {
    const day = days.get(c.date);
    if (!day) continue;
    if (isEvent(c.counter)) day[c.counter] += c.value;
    else if (c.counter.startsWith('collected:')) day.collected[c.counter.slice(10)] = (day.collected[c.counter.slice(10)] ?? 0) + c.value;
    else day.declines[c.counter.slice(8)] = (day.declines[c.counter.slice(8)] ?? 0) + c.value;
  }
  return [...days.values()];
}

/** Share of settled automatic attempts that failed, to 4 decimals; null when none settled. */
export function failureRate(day: Pick<EventCounts, 'paid' | 'failed'>): number | null {
  const settled = day.paid + day.failed;
  return settled === 0 ? null : Math.round((day.failed / settled) * 10_000) / 10_000;
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

/**
 * Roll rates over the days: `currentToOverdue` — installments that turned overdue per
 * installment that fell due; `overdueToDefaulted` — plans that defaulted per plan that turned
 * overdue. Null when nothing was there to roll.
 */
export function rollRates(days: readonly DayTotals[]): { currentToOverdue: number | null; overdueToDefaulted: number | null } {
  const sum = (k: OpsEvent) => days.reduce((s, d) => s + d[k], 0);
  return { currentToOverdue: share(sum('overdue'), sum('due')), overdueToDefaulted: share(sum('defaulted'), sum('plansOverdue')) };
}

/** Declines over the days by reason, most frequent first. */
export function declineReasons(days: readonly DayTotals[]): Array<{ code: string; count: number }> {
  const all = new Map<string, number>();
  for (const d of days) for (const [code, n] of Object.entries(d.declines)) all.set(code, (all.get(code) ?? 0) + n);
  return [...all.entries()].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
