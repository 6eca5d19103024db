/**
 * Calendar arithmetic in a customer's time zone. A `LocalDate` is an ISO `YYYY-MM-DD` string
 * with no zone; instants are `Date` values (UTC). Only `Intl` is used: no zone database to ship.
 */
import { InvalidInputError } from './errors.ts';

export type LocalDate = string;
/** `HH:MM`, 24-hour local wall-clock time. */
export type LocalTime = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface DateParts {
  year: number;
  month: number; // 1-12
  day: number;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseLocalDate(text: string): DateParts {
  const m = DATE_PATTERN.exec(text);
  if (!m) throw new InvalidInputError('DATE.MALFORMED', `date must be YYYY-MM-DD, got ${JSON.stringify(text)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidInputError('DATE.INVALID', `${text} is not a calendar date`);
  }
  return { year, month, day };
}

export function isLocalDate(text: string): boolean {
  try {
    parseLocalDate(text);
    return true;
  } catch {
    return false;
  }
}

export function formatLocalDate({ year, month, day }: DateParts): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date `months` months after `date`, on `anchorDay` clamped to the month's last day. */
export function addMonthsAnchored(date: LocalDate, months: number, anchorDay: number): LocalDate {
  const { year, month } = parseLocalDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatLocalDate({ year: y, month: m, day: Math.min(anchorDay, daysInMonth(y, m)) });
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return formatLocalDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

export function assertTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new InvalidInputError('TIMEZONE.UNKNOWN', `unknown IANA time zone ${JSON.stringify(timeZone)}`);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

export function isLocalTime(text: string): boolean {
  return TIME_PATTERN.test(text);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock extends DateParts {
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of the zone from UTC at that instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` reads `date time`. A time skipped by a
 * daylight-saving jump resolves to the same wall time after the jump (02:30 → 03:30); a time
 * that occurs twice resolves to its first occurrence.
 */
export function zonedInstant(date: LocalDate, time: LocalTime, timeZone: string): Date {
  const { year, month, day } = parseLocalDate(date);
  const t = TIME_PATTERN.exec(time);
  if (!t) throw new InvalidInputError('TIME.MALFORMED', `time must be HH:MM, got ${JSON.stringify(time)}`);
  const wall = Date.UTC(year, month - 1, day, Number(t[1]), Number(t[2]));
  // Try the offsets in force a day either side: one of them is right unless the time is skipped.
  const candidates = [offsetAt(new Date(wall - 86_400_000), timeZone), offsetAt(new Date(wall + 86_400_000), timeZone)];
  const matches = candidates
    .map((offset) => wall - offset)
    .filter((instant) => wall - offsetAt(new Date(instant), timeZone) === instant)
    .sort((a, b) => a - b);
  if (matches.length > 0) return new Date(matches[0]!);
  // Skipped by a forward jump: keep the earlier offset, which lands after the gap.
  return new Date(wall - Math.min(...candidates));
}

export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return formatLocalDate(wallClock(instant, timeZone));
}

/** Local wall-clock time of day, in minutes since midnight. */
export function localMinutesOf(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  return w.hour * 60 + w.minute;
}

export function minutesOf(time: LocalTime): number {
  const t = TIME_PATTERN.exec(time);
  if (!t) throw new InvalidInputError('TIME.MALFORMED', `time must be HH:MM, got ${JSON.stringify(time)}`);
  return Number(t[1]) * 60 + Number(t[2]);
}
