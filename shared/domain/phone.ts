/**
 * Phone numbers by libphonenumber's metadata (every country's mobile lengths, ranges and
 * prefixes). The metadata is ~50 KB of the code a function would otherwise load at start, so
 * nothing imports this module statically: use cases load it with `phoneRules()`
 * (shared/application/phone-rules.ts) when a number is judged, and profile.ts receives it as
 * `PhoneRules`.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/mobile';

/** E.164 and a valid mobile number of its country. */
export function isMobileNumber(phone: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(phone) && isValidPhoneNumber(phone);
}

/** The country of a phone number (`+8613800138000` → `CN`), when it has one. */
export function phoneCountry(phone: string): string | undefined {
  return parsePhoneNumberFromString(phone)?.country;
}
