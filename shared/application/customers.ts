/**
 * Customers and their payment methods.
 *
 * create-customer — input: profile; output: the customer, or CUSTOMER.EXISTS.
 * bind-payment-method — input: customer id, method token and masked display; output: the method.
 * unbind-payment-method — removes a method; the default moves to the next by priority.
 * export-customer — everything held about a customer, in one document.
 * erase-customer — erases a customer's personal data once nothing is owed or in progress.
 */
import { type Customer, ERASED, type Erasure, type Locale, type PaymentMethod, type PaymentMethodType, type ProviderName, providerOf } from '../domain/customer.ts';
import { retryAfterCustomerAction } from '../domain/dunning.ts';
import { NotFoundError, RepayflowError } from '../domain/errors.ts';
import type { NoticeRecord } from '../domain/notices.ts';
import { summarize } from '../domain/plan.ts';
import { admitProfile } from '../domain/profile.ts';
import type { RepaymentRecord } from '../domain/repayment.ts';
import { ok, type Refused, type Result, refuse } from '../domain/result.ts';
import type { PlanDetail } from '../ports/plan-repository.port.ts';
import { commitPlanChange } from './commit-plan.ts';
import type { Deps } from './deps.ts';
import { phoneRules } from './phone-rules.ts';
import type { CaseThread } from './support.ts';

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
  const admitted = admitProfile(customer, await phoneRules());
  if (!admitted.ok) return admitted;
  const created = await deps.customers.create(customer);
  return created ? ok(customer) : refuse('conflict', 'CUSTOMER.EXISTS', `customer ${customer.customerId} already exists`);
}

/** A customer whose personal data is held (an erased one is gone: 404 CUSTOMER.ERASED). */
export async function getCustomer(deps: Pick<Deps, 'customers'>, customerId: string): Promise<Customer> {
  const customer = await getCustomerRecord(deps, customerId);
  if (customer.erasedAt) throw new RepayflowError('CUSTOMER.ERASED', `customer ${customerId} was erased`, { kind: 'not_found' });
  return customer;
}

/** The customer's profile, or the tombstone an erasure left (the merchant's view). */
export async function getCustomerRecord(deps: Pick<Deps, 'customers'>, customerId: string): Promise<Customer> {
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
  const admitted = admitProfile(updated, await phoneRules());
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
  deps: Pick<Deps, 'customers' | 'plans' | 'gateway' | 'logger' | 'clock'>,
  customerId: string,
  paymentMethodId: string,
): Promise<Result<void, Refused<'conflict'>>> {
  const methods = await deps.customers.listPaymentMethods(customerId);
  const target = methods.find((m) => m.paymentMethodId === paymentMethodId);
  if (!target) throw new NotFoundError('payment method', paymentMethodId);
  // Hold the method first, then look for charges: a charge locks its attempt only while no
  // removal holds its method (one transaction), so it either shows in the look below or never starts.
  const now = deps.clock.now();
  if (!(await deps.customers.holdForRemoval(customerId, paymentMethodId, new Date(now.getTime() + REMOVAL_HOLD_MS), now))) {
    return refuse('conflict', 'PAYMENT_METHOD.IN_USE', 'this method is being removed or changed right now; try again');
  }
  const busy = await attemptUsing(deps, customerId, paymentMethodId);
  if (busy) {
    await deps.customers.releaseRemovalHold(customerId, paymentMethodId);
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

/** How long a removal holds its method at most (a request that dies lets go when it ends). */
const REMOVAL_HOLD_MS = 2 * 60_000;

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

/** A plan as the customer's data holds it: the plan, its installments and its repayment records. */
export interface HeldPlan extends PlanDetail {
  repayments: RepaymentRecord[];
}

/** Everything repayflow holds about one customer. */
export interface CustomerData {
  customer: Customer;
  paymentMethods: PaymentMethod[];
  plans: HeldPlan[];
  notices: NoticeRecord[];
  /** Support cases with their threads. */
  supportCases: CaseThread[];
}

/**
 * export-customer — input: customer id; output: the profile (with its preferences), the bound
 * methods (masked, as the provider reports them), every plan with its installments and
 * repayment records, and every notice sent. Refused (404) for an erased customer.
 */
export async function exportCustomer(deps: Pick<Deps, 'customers' | 'plans' | 'notices' | 'supportCases'>, customerId: string): Promise<CustomerData> {
  const customer = await getCustomer(deps, customerId);
  const [paymentMethods, plans, notices, supportCases] = await Promise.all([
    deps.customers.listPaymentMethods(customerId),
    heldPlans(deps, customerId),
    allNotices(deps, customerId),
    allCases(deps, customerId),
  ]);
  return { customer, paymentMethods, plans, notices, supportCases };
}

async function allCases(deps: Pick<Deps, 'supportCases'>, customerId: string): Promise<CaseThread[]> {
  const threads: CaseThread[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.supportCases.listByCustomer(customerId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const c of page.cases) {
      const thread = await deps.supportCases.get(c.caseId);
      if (thread) threads.push(thread);
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return threads;
}

async function heldPlans(deps: Pick<Deps, 'plans'>, customerId: string): Promise<HeldPlan[]> {
  const held: HeldPlan[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.plans.listByCustomer(customerId, { limit: 50, ...(cursor ? { cursor } : {}) });
    for (const summary of page.plans) {
      const [detail, repayments] = await Promise.all([deps.plans.get(summary.plan.planId), deps.plans.listRepayments(summary.plan.planId)]);
      if (detail) held.push({ ...detail, repayments });
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return held;
}

async function allNotices(deps: Pick<Deps, 'notices'>, customerId: string): Promise<NoticeRecord[]> {
  const notices: NoticeRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.notices.pageByCustomer(customerId, { limit: 100, ...(cursor ? { cursor } : {}) });
    notices.push(...page.notices);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return notices;
}

/**
 * Why a customer cannot be erased yet, if anything: a plan that still has money to collect (a
 * defaulted one too), or a payment whose outcome only its provider can tell.
 */
function whatHoldsErasure(plans: readonly HeldPlan[]): Result<never, Refused<'conflict'>> | undefined {
  for (const { plan, installments, repayments } of plans) {
    const attempt = installments.map((i) => i.inflightAttemptId ?? i.pendingAttemptId).find((id) => id !== undefined) ?? repayments.find((r) => r.status === 'pending')?.id;
    if (attempt) {
      return refuse(
        'conflict',
        'CUSTOMER.PAYMENT_IN_PROGRESS',
        `payment ${attempt} on plan ${plan.planId} is in progress; the customer can be erased once its provider has answered`,
        {
          details: { planId: plan.planId, attemptId: attempt },
        },
      );
    }
  }
  for (const { plan, installments } of plans) {
    if (plan.status === 'paid_off' || plan.status === 'cancelled') continue;
    const outstanding = summarize(installments).outstanding;
    return refuse(
      'conflict',
      'CUSTOMER.MONEY_OWED',
      `plan ${plan.planId} (order ${plan.orderId}) is ${plan.status} with ${outstanding} ${plan.currency} minor units outstanding; the customer can be erased once it is paid off or cancelled`,
      {
        details: { planId: plan.planId, planStatus: plan.status, outstanding: { amount: outstanding, currency: plan.currency } },
      },
    );
  }
  return undefined;
}

/**
 * erase-customer — input: customer id and who asks; output: the erasure's log, or a refusal
 * (409) naming the plan that still owes money or the payment in progress.
 *
 * Primary course: the profile becomes a tombstone first (name, phone and email replaced by
 * pseudonyms, notifications off), so nothing new reaches the customer meanwhile; each bound
 * method is released at its provider (the unbind path) and removed; every notice's recipient
 * and text are erased, and so are the subject and messages of every support case; plans, installments and repayment records are kept, as financial
 * records must be, with the payment method's display (a masked account) removed. The log
 * says who asked and when, and counts what was done, with no personal data. Erasing again
 * finishes what a failed run left and writes the log again.
 */
export async function eraseCustomer(
  deps: Pick<Deps, 'customers' | 'plans' | 'notices' | 'supportCases' | 'gateway' | 'logger' | 'clock'>,
  customerId: string,
  by: Erasure['erasedBy'],
): Promise<Result<Erasure, Refused<'conflict'>>> {
  const customer = await getCustomerRecord(deps, customerId);
  const plans = await heldPlans(deps, customerId);
  const held = whatHoldsErasure(plans);
  if (held) return held;

  const erasedAt = customer.erasedAt ?? deps.clock.now().toISOString();
  const { email: _email, reminderDaysBefore: _days, ...kept } = customer;
  await deps.customers.update({ ...kept, name: ERASED, phone: ERASED, notifications: { sms: false, email: false }, erasedAt });

  const methods = await deps.customers.listPaymentMethods(customerId);
  for (const method of methods) {
    const released = await unbindPaymentMethod(deps, customerId, method.paymentMethodId);
    if (!released.ok) return released;
  }
  const notices = await allNotices(deps, customerId);
  await Promise.all(notices.filter((n) => n.to !== ERASED || n.body !== ERASED).map((n) => deps.notices.eraseContent(n.dedupeKey)));
  const cases = await allCases(deps, customerId);
  await Promise.all(
    cases.filter((c) => c.supportCase.subject !== ERASED || c.messages.some((m) => m.body !== ERASED)).map((c) => deps.supportCases.eraseContent(c.supportCase.caseId, ERASED)),
  );
  const records = plans.flatMap((p) => p.repayments);
  await Promise.all(records.filter((r) => r.paymentMethodDisplay !== ERASED).map((r) => deps.plans.eraseMethodDisplay(r.planId, r.id, ERASED)));

  const previous = await deps.customers.getErasure(customerId);
  const erasure: Erasure = {
    customerId,
    erasedAt,
    erasedBy: previous?.erasedBy ?? by,
    paymentMethodsReleased: (previous?.paymentMethodsReleased ?? 0) + methods.length,
    noticesErased: notices.length,
    supportCasesErased: cases.length,
    repaymentRecordsKept: records.length,
    plansKept: plans.length,
  };
  await deps.customers.recordErasure(erasure);
  deps.logger.info('customer erased', { ...erasure });
  return ok(erasure);
}
