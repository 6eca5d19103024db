/**
 * The phone rules (shared/domain/phone.ts: libphonenumber's metadata for every country), loaded
 * the first time a use case judges a phone number. Imported with `import()`, they are a lazy
 * chunk of a Lambda bundle: writing a profile, a plan for a customer whose profile names no
 * market, or an SMS loads them; no other request or message does.
 */
import type { Customer } from '../domain/customer.ts';
import { marketOf, type PhoneRules } from '../domain/profile.ts';

export function phoneRules(): Promise<PhoneRules> {
  return import('../domain/phone.ts');
}

/** The customer's market (profile.ts `marketOf`); the phone rules are loaded only for a profile that names none. */
export async function customerMarket(customer: Pick<Customer, 'market' | 'phone'>): Promise<string | undefined> {
  return customer.market ?? marketOf(customer, await phoneRules());
}
