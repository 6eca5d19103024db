/**
 * Customer profiles: what a profile must satisfy before it is written, and the customer's
 * market (the country whose currency their plans are in). Every rule is pure and refuses with a
 * stable code and the request field at fault (HTTP 422).
 *
 * * `CUSTOMER.INVALID_PHONE` (`phone`) — not a mobile number of its country (its real lengths
 *   and ranges, from libphonenumber's metadata: the `PhoneRules` of phone.ts, which use cases load
 *   only when they judge a number): SMS can only reach a mobile.
 * * `CUSTOMER.TIME_ZONE_NOT_CANONICAL` (`timeZone`) — not a canonical IANA name (`UTC`, or the
 *   `Area/City` name of a place in IANA's `zone.tab`, spelt exactly): another spelling or an alias
 *   (`Asia/Calcutta`, `US/Eastern`) says the canonical zone (`suggestion`); an abbreviation (`EST`)
 *   or a fixed offset (`Etc/GMT+8`) names no place and gets none.
 * * `CUSTOMER.NAME_CONTROL_CHARACTERS` (`name`) — control, bidi or zero-width characters.
 * * `CUSTOMER.EMAIL_REQUIRED` (`email`) — email notices are on and there is no address.
 * * `CUSTOMER.MARKET_UNSUPPORTED` (`market`) — the market is not a country whose currency
 *   repayflow lends in.
 */
import type { CurrencyCode } from './money.ts';
import type * as phone from './phone.ts';
import type { DomainRefusal, Result } from './result.ts';

export const PROFILE_CODES = {
  phone: 'CUSTOMER.INVALID_PHONE',
  timeZone: 'CUSTOMER.TIME_ZONE_NOT_CANONICAL',
  name: 'CUSTOMER.NAME_CONTROL_CHARACTERS',
  email: 'CUSTOMER.EMAIL_REQUIRED',
  market: 'CUSTOMER.MARKET_UNSUPPORTED',
} as const;

function invalid(code: string, field: string, message: string, details?: Record<string, unknown>): { ok: false; error: DomainRefusal<'unprocessable'> } {
  return { ok: false, error: { code, message, kind: 'unprocessable', field, ...(details ? { details } : {}) } };
}

/** The currency each market (ISO 3166-1 alpha-2 country) lends in; euro-area members lend in EUR. */
const EURO_AREA = ['AT', 'BE', 'HR', 'CY', 'EE', 'FI', 'FR', 'DE', 'GR', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PT', 'SK', 'SI', 'ES'] as const;
export const MARKET_CURRENCY: Readonly<Record<string, CurrencyCode>> = {
  CN: 'CNY',
  US: 'USD',
  GB: 'GBP',
  HK: 'HKD',
  SG: 'SGD',
  JP: 'JPY',
  KR: 'KRW',
  ...Object.fromEntries(EURO_AREA.map((c) => [c, 'EUR' as const])),
};

/** What phone.ts knows of phone numbers (given, so that only a use case that judges a number loads it). */
export type PhoneRules = Pick<typeof phone, 'isMobileNumber' | 'phoneCountry'>;

/** The customer's market: the one on the profile, else the country of their phone number. */
export function marketOf(customer: { market?: string; phone: string }, rules: Pick<PhoneRules, 'phoneCountry'>): string | undefined {
  return customer.market ?? rules.phoneCountry(customer.phone);
}

export function checkPhone(phone: string, rules: PhoneRules): Result<string, DomainRefusal<'unprocessable'>> {
  if (rules.isMobileNumber(phone)) return { ok: true, value: phone };
  const country = rules.phoneCountry(phone);
  return invalid(
    PROFILE_CODES.phone,
    'phone',
    country
      ? `${phone} is not a mobile number of ${country}: its length or range is not one that country uses`
      : `${phone} is not a mobile number of any country (E.164, such as +8613800138000)`,
  );
}

/** Characters that must never reach a name: C0/C1 controls, bidi controls, zero-width characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it refuses
export const INVISIBLE_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;

export function checkName(name: string): Result<string, DomainRefusal<'unprocessable'>> {
  const found = INVISIBLE_OR_CONTROL.exec(name);
  if (!found) return { ok: true, value: name };
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return invalid(PROFILE_CODES.name, 'name', `name contains U+${code}, a control, direction or zero-width character`);
}

const AREAS = ['Africa', 'America', 'Antarctica', 'Arctic', 'Asia', 'Atlantic', 'Australia', 'Europe', 'Indian', 'Pacific'];
const AREA_FORM = new RegExp(`^(${AREAS.join('|')})/[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)?$`);

/** The zone a name stands for, as the runtime's ICU spells it (case-insensitive, links followed). */
function resolveZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * ICU keeps CLDR's identifiers, which stay on a place's old name after IANA renames it: these
 * 19 are the whole difference between ICU's zone identifiers and IANA's `zone.tab` (tzdata
 * 2025c, ICU 78). ICU resolves the new name to the old one; IANA's name is the canonical one
 * and the old one is an alias in its `backward` file.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** IANA's canonical name of the zone a name stands for (`Asia/Calcutta`, `asia/kolkata` → `Asia/Kolkata`; `Etc/UTC`, `GMT` → `UTC`). */
export function canonicalZone(name: string): string | undefined {
  const resolved = resolveZone(name);
  if (resolved === undefined) return undefined;
  return RENAMED[resolved] ?? resolved;
}

/** `EST`, `CST`, `HKT`, `EST5EDT`: abbreviations of offsets, which name no one place. */
const ABBREVIATION = /^[A-Z]{2,4}T$|^[A-Z]{3}\d[A-Z]{3}$/i;
/** `Etc/GMT+8` and the like: a fixed offset (of inverted sign: `Etc/GMT+8` is UTC−08:00) with no daylight saving. */
const FIXED_OFFSET = /^Etc\/GMT[+-]\d{1,2}$/i;

/**
 * A canonical IANA name: `UTC`, or the `Area/City` name IANA lists for a place in `zone.tab`,
 * spelt exactly so. Refused, with the canonical zone where one place is meant: other spellings
 * (`asia/shanghai`), aliases (`Asia/Calcutta`, `US/Eastern`, `PRC`, `Asia/Chongqing`,
 * `Etc/UTC`). Refused with no suggestion: abbreviations (`EST`, `CST`) and fixed offsets
 * (`Etc/GMT+8`), which name no place and do not follow its daylight saving.
 */
export function checkTimeZone(timeZone: string): Result<string, DomainRefusal<'unprocessable'>> {
  const canonical = canonicalZone(timeZone);
  const place = canonical !== undefined && (canonical === 'UTC' || AREA_FORM.test(canonical));
  if (place && canonical === timeZone) return { ok: true, value: timeZone };
  const suggestion = place && (canonical === 'UTC' || !ABBREVIATION.test(timeZone)) ? canonical : undefined;
  const why =
    canonical === undefined
      ? 'is not an IANA time zone'
      : suggestion !== undefined
        ? canonical.toLowerCase() === timeZone.toLowerCase()
          ? 'is not the canonical spelling'
          : `is an alias of ${JSON.stringify(canonical)}`
        : FIXED_OFFSET.test(timeZone)
          ? 'is a fixed offset from UTC (its sign inverted), which names no place and keeps no daylight saving'
          : 'is an abbreviation of an offset, which names no place';
  return invalid(
    PROFILE_CODES.timeZone,
    'timeZone',
    `${JSON.stringify(timeZone)} ${why}; ${suggestion ? `use ${JSON.stringify(suggestion)}` : 'use the Area/City name of the customer\'s place, such as "Asia/Shanghai" or "America/New_York"'}`,
    suggestion ? { suggestion } : undefined,
  );
}

export function checkMarket(market: string): Result<string, DomainRefusal<'unprocessable'>> {
  if (MARKET_CURRENCY[market]) return { ok: true, value: market };
  return invalid(PROFILE_CODES.market, 'market', `market ${JSON.stringify(market)} is not one repayflow lends in; use one of ${Object.keys(MARKET_CURRENCY).sort().join(', ')}`);
}

export interface ProfileFields {
  name: string;
  phone: string;
  email?: string;
  timeZone: string;
  market?: string;
  notifications: { sms: boolean; email: boolean };
}

/** Every profile rule, in the order of the fields; the first broken one is the refusal. */
export function admitProfile<T extends ProfileFields>(profile: T, rules: PhoneRules): Result<T, DomainRefusal<'unprocessable'>> {
  const checks = [
    () => checkName(profile.name),
    () => checkPhone(profile.phone, rules),
    () =>
      profile.notifications.email && !profile.email
        ? invalid(PROFILE_CODES.email, 'email', 'email notices are on (notifications.email) but there is no email address')
        : { ok: true as const, value: '' },
    () => checkTimeZone(profile.timeZone),
    () => (profile.market === undefined ? { ok: true as const, value: '' } : checkMarket(profile.market)),
  ];
  for (const check of checks) {
    const result = check();
    if (!result.ok) return result;
  }
  return { ok: true, value: profile };
}
