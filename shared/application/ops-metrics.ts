/**
 * ops-metrics — input: a local date or a range of local dates in the operations time zone (the
 * policy's `reconciliationTimeZone`); output: the day by hour (agenda) or the days with their
 * rates (daily metrics), from the counters the plan commits keep. Reads one query per UTC date
 * covered, never the plans themselves.
 */
import { daysBetween, type LocalDate, localDateOf } from '../domain/calendar.ts';
import { agendaOf, daysOf, declineReasons, failureRate, rollRates, utcDatesCovering } from '../domain/ops-metrics.ts';
import { ok, type Refused, type Result, refuse } from '../domain/result.ts';
import type { Deps } from './deps.ts';

/** The longest range the daily metrics cover in one request. */
export const MAX_METRICS_DAYS = 92;

type OpsDeps = Pick<Deps, 'opsMetrics' | 'clock' | 'settings'>;

const timeZoneOf = (deps: OpsDeps) => deps.settings.policy.reconciliationTimeZone;

/** Today in the operations time zone. */
export const opsToday = (deps: OpsDeps): LocalDate => localDateOf(deps.clock.now(), timeZoneOf(deps));

export async function opsAgenda(deps: OpsDeps, date: LocalDate = opsToday(deps)) {
  const timeZone = timeZoneOf(deps);
  const tallies = await deps.opsMetrics.tallies(utcDatesCovering(date, date, timeZone));
  const { hours, totals } = agendaOf(tallies, date, timeZone);
  return { date, timeZone, totals, hours: hours.map((h, hour) => ({ hour, ...h })) };
}

export async function opsDailyMetrics(deps: OpsDeps, range: { from?: LocalDate; to?: LocalDate }): Promise<Result<OpsDaily, Refused<'unprocessable'>>> {
  const timeZone = timeZoneOf(deps);
  const to = range.to ?? opsToday(deps);
  const from = range.from ?? localDateOf(new Date(Date.parse(`${to}T12:00:00Z`) - 29 * 86_400_000), 'UTC');
  if (from > to) return refuse('unprocessable', 'METRICS.RANGE_INVALID', '`from` must not be after `to`', { field: 'from' });
  if (daysBetween(from, to) + 1 > MAX_METRICS_DAYS) {
    return refuse('unprocessable', 'METRICS.RANGE_TOO_LONG', `a range covers at most ${MAX_METRICS_DAYS} days`, { field: 'from' });
  }
  const days = daysOf(await deps.opsMetrics.tallies(utcDatesCovering(from, to, timeZone)), from, to, timeZone);
  return ok({
    from,
    to,
    timeZone,
    days: days.map(({ declines: _declines, ...d }) => ({ ...d, failureRate: failureRate(d) })),
    declineReasons: declineReasons(days),
    rollRates: rollRates(days),
  });
}

type DayOf = ReturnType<typeof daysOf>[number];
export interface OpsDaily {
  from: LocalDate;
  to: LocalDate;
  timeZone: string;
  days: Array<Omit<DayOf, 'declines'> & { failureRate: number | null }>;
  declineReasons: ReturnType<typeof declineReasons>;
  rollRates: ReturnType<typeof rollRates>;
}
