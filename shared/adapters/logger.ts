/**
 * Structured JSON logs, one line per entry. Phone numbers and email addresses are masked in
 * every line, whatever field they hide in: fields named like a recipient are masked by name,
 * and every line is then scanned for anything that looks like a number or an address (inside
 * error messages and stacks too).
 */
import type { Logger } from '../ports/logger.port.ts';

export type { Logger } from '../ports/logger.port.ts';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
/** International numbers, written any common way: `+8613912345678`, `+1 (212) 555-0123`. */
const INTERNATIONAL = /(?<![\w])\+\d[\d ().-]{6,}\d(?![\w])/g;
/**
 * National numbers: ten or more digits, possibly grouped (`139 1234 5678`, `212-555-0123`),
 * standing alone: digits that are part of a word, an id or a UUID (`059a1843-…`, `evt_1234…`) are
 * not a phone number and are left as they are.
 */
const NATIONAL = /(?<![\w.:/-])\d(?:[ -]?\d){9,}(?![\w.:/-])/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
/** Fields whose whole value is a recipient, masked whatever it looks like. */
const RECIPIENT_FIELD = /^(phone|phoneNumber|mobile|email|emailAddress|address|to|recipient)$/i;

/** A UUID that happens to hold no hex letter looks like grouped digits; it is an id, never a number. */
const DIGIT_UUID = /^\d{8}-\d{4}-\d{4}-\d{4}-\d{12}$/;

const keepLast4 = (match: string) => `****${match.replace(/\D/g, '').slice(-4)}`;

export function maskPii(text: string): string {
  return text
    .replace(EMAIL, '$1***@$2')
    .replace(INTERNATIONAL, keepLast4)
    .replace(NATIONAL, (match) => (DIGIT_UUID.test(match) ? match : keepLast4(match)));
}

export function createLogger(options: { level: LogLevel; service: string; write?: (line: string) => void }): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[options.level]) return;
    const entry = { level, time: new Date().toISOString(), service: options.service, message, ...fields };
    write(maskPii(JSON.stringify(entry, replacer)));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export function replacer(key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'string' && RECIPIENT_FIELD.test(key) && !value.includes('****') && !value.includes('***@')) return maskRecipient(value);
  return value;
}

/** A recipient field's value: an address keeps its first letter and domain, a number its last 4 digits. */
function maskRecipient(value: string): string {
  if (value.includes('@')) return value.replace(EMAIL, '$1***@$2');
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `****${digits.slice(-4)}` : '****';
}
