/**
 * Customers and their payment methods.
 *
 * create-customer — input: profile; output: the customer, or CUSTOMER.EXISTS.
 * bind-payment-method — input: customer id, method token and masked display; output: the method.
 * unbind-payment-method — removes a method; the default moves to the next by priority.
 */
import { type Customer, type Locale, type PaymentMethod, type PaymentMethodType, type ProviderName, providerOf } from '../domain/customer.ts';
import { retryAfterCustomerAction } from '../domain/dunning.ts';
import { NotFoundError } from '../domain/errors.ts';
import { admitProfile } from '../domain/profile.ts';
import { ok, type Refused, type Result, refuse } from '../domain/result.ts';
import { commitPlanChange } from './commit-plan.ts';
import type { Deps } from './deps.ts';

/** A customer as the merchant's backend registers them; the id is chosen here when absent. */
export type NewCustomer = Omit<Customer, 'customerId' | 'createdAt'> & { id?: string };

export async function createCustomer(deps: Pick<Deps, 'customers' | 'ids' | 'clock'>, input: NewCustomer): Promise<Result<Customer, Refused<'conflict' | 'unprocessable'>>> {
  const customer: Customer = {
    customerId: input.id ?? deps.ids.next('cus'),
    name: input.name,
    phone: input.phone,
    ...(input.email ? { email: input.email } : {}),
    locale: input.locale,
    timeZone: input.timeZone,
    notifications: input.notifications,
    ...(input.reminderDaysBefore ? { reminderDaysBefore: input.reminderDaysBefore } : {}),
    ...(input.market ? { market: input.market } : {}),
    createdAt: deps.clock.now().toISOString(),
  };
  const admitted = admitProfile(customer);
  if (!admitted.ok) return admitted;
  const created = await deps.customers.create(customer);
  return created ? ok(customer) : refuse('conflict', 'CUSTOMER.EXISTS', `customer ${customer.customerId} already exists`);
}

export async function getCustomer(deps: Pick<Deps, 'customers'>, customerId: string): Promise<Customer> {
  const customer = await deps.customers.get(customerId);
  if (!customer) throw new NotFoundError('customer', customerId);
  return customer;
}

export interface CustomerChanges {
  locale?: Locale;
  timeZone?: string;
  notifications?: Partial<Customer['notifications']>;
  email?: string;
  phone?: string;
  reminderDaysBefore?: number[];
  market?: string;
}

/** The profile after the changes, checked as a whole (turning email notices on needs an address on file). */
export async function updateCustomer(deps: Pick<Deps, 'customers'>, customerId: string, changes: CustomerChanges): Promise<Result<Customer, Refused<'unprocessable'>>> {
  const current = await getCustomer(deps, customerId);
  const updated: Customer = {
    ...current,
    ...(changes.locale ? { locale: changes.locale } : {}),
    ...(changes.timeZone ? { timeZone: changes.timeZone } : {}),
    ...(changes.email ? { email: changes.email } : {}),
    ...(changes.phone ? { phone: changes.phone } : {}),
    ...(changes.reminderDaysBefore ? { reminderDaysBefore: changes.reminderDaysBefore } : {}),
    ...(changes.market ? { market: changes.market } : {}),
    notifications: { ...current.notifications, ...changes.notifications },
  };
  const admitted = admitProfile(updated);
  if (!admitted.ok) return admitted;
  await deps.customers.update(updated);
  return ok(updated);
}

export interface NewPaymentMethod {
  type: PaymentMethodType;
  /** A reference the provider issued to the client (a Stripe PaymentMethod id from Stripe.js). */
  token: string;
  /** What the client showed; the provider's own display is stored where it reports one. */
  display?: string;
  makeDefault?: boolean;
}

/**
 * bind-payment-method — the provider that serves the type verifies the token (and attaches it
 * to the customer there); only its reference and the masked display it reports are stored.
 * Refused when no provider serves the type here, or the provider does not know the token.
 */
export async function bindPaymentMethod(
  deps: Pick<Deps, 'customers' | 'ids' | 'clock' | 'plans' | 'gateway'>,
  customerId: string,
  input: NewPaymentMethod,
): Promise<Result<PaymentMethod, Refused<'unprocessable'>>> {
  await getCustomer(deps, customerId);
  const provider = deps.gateway.providerFor(input.type);
  if (!provider)
    return refuse('unprocessable', 'PAYMENT_METHOD.TYPE_UNAVAILABLE', `${input.type} payments are not available here (no provider is configured for them)`, { field: 'type' });
  const existing = await deps.customers.listPaymentMethods(customerId);
  const customerReference = existing.find((m) => providerOf(m) === provider && m.customerReference)?.customerReference;
  const verified = await deps.gateway.verifyToken(provider, {
    token: input.token,
    methodType: input.type,
    customerId,
    ...(customerReference ? { customerReference } : {}),
    ...(input.display ? { display: input.display } : {}),
  });
  if (!verified.ok) return refuse('unprocessable', 'PAYMENT_METHOD.TOKEN_REFUSED', `token: ${verified.detail}`, { field: 'token' });
  return ok(await addVerifiedMethod(deps, customerId, { type: input.type, provider, ...verified, ...(input.makeDefault ? { makeDefault: true } : {}) }, existing));
}

export interface ProviderVerifiedMethod {
  type: PaymentMethodType;
  provider: ProviderName;
  token: string;
  display: string;
  customerReference?: string;
  makeDefault?: boolean;
}

/** Stores a method its provider verified, and retries what waited for the customer. */
export async function addVerifiedMethod(
  deps: Pick<Deps, 'customers' | 'ids' | 'clock' | 'plans'>,
  customerId: string,
  verified: ProviderVerifiedMethod,
  existing: PaymentMethod[],
): Promise<PaymentMethod> {
  const method = newPaymentMethod(deps, customerId, verified, existing);
  await deps.customers.addPaymentMethod(method, method.isDefault);
  await retryWhatWaitedForTheCustomer(deps, customerId);
  return method;
}

/** The record of a provider-verified method: the default when asked or when it is the first, last by priority. */
export function newPaymentMethod(deps: Pick<Deps, 'ids' | 'clock'>, customerId: string, verified: ProviderVerifiedMethod, existing: PaymentMethod[]): PaymentMethod {
  const isDefault = verified.makeDefault === true || existing.length === 0;
  return {
    customerId,
    paymentMethodId: deps.ids.next('pm'),
    type: verified.type,
    provider: verified.provider,
    token: verified.token,
    ...(verified.customerReference ? { customerReference: verified.customerReference } : {}),
    display: verified.display,
    isDefault,
    priority: existing.reduce((max, m) => Math.max(max, m.priority), 0) + 1,
    createdAt: deps.clock.now().toISOString(),
  };
}

export async function listPaymentMethods(deps: Pick<Deps, 'customers'>, customerId: string): Promise<PaymentMethod[]> {
  await getCustomer(deps, customerId);
  return deps.customers.listPaymentMethods(customerId);
}

/**
 * unbind-payment-method — removes a method; the default moves to the next by priority, and the
 * provider's standing authorisation is released. Refused while a charge on that method is in
 * flight or awaiting confirmation: it may have charged, and only its provider can tell.
 */
export async function unbindPaymentMethod(
  deps: Pick<Deps, 'customers' | 'plans' | 'gateway' | 'logger'>,
  customerId: string,
  paymentMethodId: string,
): Promise<Result<void, Refused<'conflict'>>> {
  const methods = await deps.customers.listPaymentMethods(customerId);
  const target = methods.find((m) => m.paymentMethodId === paymentMethodId);
  if (!target) throw new NotFoundError('payment method', paymentMethodId);
  const busy = await attemptUsing(deps, customerId, paymentMethodId);
  if (busy) {
    return refuse('conflict', 'PAYMENT_METHOD.IN_USE', `payment ${busy} on this method is in progress; it can be removed once the provider has answered`);
  }
  await deps.customers.removePaymentMethod(customerId, paymentMethodId);
  // The next method by priority becomes the default.
  const next = methods.find((m) => m.paymentMethodId !== paymentMethodId);
  if (target.isDefault && next) await deps.customers.setDefaultPaymentMethod(customerId, next.paymentMethodId);
  // The authorisation ends at the provider too; a failure there leaves nothing to charge with here.
  await deps.gateway
    .release(providerOf(target), { token: target.token, ...(target.customerReference ? { customerReference: target.customerReference } : {}) })
    .catch((err: unknown) => deps.logger.error('releasing the method at its provider failed', { paymentMethodId, error: err }));
  return ok(undefined);
}

/** The id of an attempt in flight or pending on that method, if any of the customer's plans has one. */
async function attemptUsing(deps: Pick<Deps, 'plans'>, customerId: string, paymentMethodId: string): Promise<string | undefined> {
  let cursor: string | undefined;
  do {
    const page = await deps.plans.listByCustomer(customerId, { limit: 50, ...(cursor ? { cursor } : {}) });
    for (const { plan: summary } of page.plans) {
      if (summary.status === 'cancelled' || summary.status === 'paid_off') continue;
      const detail = await deps.plans.get(summary.planId);
      for (const inst of detail?.installments ?? []) {
        if (inst.inflightAttemptId && inst.inflightMethodId === paymentMethodId) return inst.inflightAttemptId;
        for (const id of new Set([inst.inflightAttemptId, inst.pendingAttemptId])) {
          if (!id || (id === inst.inflightAttemptId && inst.inflightMethodId)) continue;
          const record = await deps.plans.getRepayment(summary.planId, id);
          if (record?.status === 'pending' && record.paymentMethodId === paymentMethodId) return id;
        }
      }
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return undefined;
}

/**
 * make-default-payment-method — the customer chooses which bound method is debited first.
 * Like binding a new one, it is the customer acting on a decline: what waited for them is
 * tried again.
 */
export async function makeDefaultPaymentMethod(deps: Pick<Deps, 'customers' | 'plans' | 'clock'>, customerId: string, paymentMethodId: string): Promise<PaymentMethod> {
  const methods = await deps.customers.listPaymentMethods(customerId);
  const target = methods.find((m) => m.paymentMethodId === paymentMethodId);
  if (!target) throw new NotFoundError('payment method', paymentMethodId);
  await deps.customers.setDefaultPaymentMethod(customerId, paymentMethodId);
  await retryWhatWaitedForTheCustomer(deps, customerId);
  return { ...target, isDefault: true };
}

/**
 * Installments that a non-retryable decline left waiting for the customer are tried again
 * at the next sweep, with the methods that did not decline them for good.
 */
export async function retryWhatWaitedForTheCustomer(deps: Pick<Deps, 'plans' | 'clock'>, customerId: string): Promise<number> {
  const now = deps.clock.now();
  let retried = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.plans.listByCustomer(customerId, { limit: 50, ...(cursor ? { cursor } : {}) });
    for (const { plan: summary } of page.plans) {
      if (summary.status === 'cancelled' || summary.status === 'paid_off' || summary.status === 'defaulted') continue;
      let changed = 0;
      // A payment in flight on that installment wins; the customer can act again after it.
      const written = await commitPlanChange(deps, summary.planId, ({ plan, installments }) => {
        const waiting = installments.filter((i) => i.needsCustomerAction && !i.inflightAttemptId);
        changed = waiting.length;
        return waiting.length === 0 ? undefined : { plan, installments: waiting.map((i) => retryAfterCustomerAction(i, now)), guard: { kind: 'unlocked', now } };
      });
      if (written === 'committed') retried += changed;
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return retried;
}
