/**
 * Binding on first use: the customer authorises a new method at its provider, and only the
 * provider's own answer activates it.
 *
 * start-payment-setup — input: customer id, method type (optionally: make it the default, where
 *   the provider sends the customer back); output: the pending setup and the provider's next
 *   step (Stripe.js client secret, a signing page, a QR payload). Refused when no provider
 *   serves the type here. The same setup key never starts two authorisations.
 * complete-payment-setup — input: customer id, setup id; asks the provider (never the client)
 *   how the setup ended: succeeded → the method is stored once (pending → active, conditional),
 *   a repeat answers the same method; pending → still pending; failed → refused with the
 *   provider's code. A provider's webhook hint runs the same use case.
 * get-payment-setup — the setup's state, and its method once active.
 */
import { type PaymentMethod, type PaymentMethodType, providerOf } from '../domain/customer.ts';
import { newSetup, type PaymentSetup } from '../domain/payment-setup.ts';
import { type DomainRefusal, ok, type Result, refuse } from '../domain/result.ts';
import type { NextAction } from '../ports/payment-gateway.port.ts';
import type { BindingHintHandler } from '../ports/webhook.port.ts';
import { getCustomer, newPaymentMethod, retryWhatWaitedForTheCustomer } from './customers.ts';
import type { Deps } from './deps.ts';

type SetupDeps = Pick<Deps, 'customers' | 'ids' | 'clock' | 'plans' | 'gateway'>;

export interface SetupInput {
  type: PaymentMethodType;
  makeDefault?: boolean;
  /** Where a redirect-based provider sends the customer back (a path of the portal). */
  returnUrl?: string;
}

/** A refusal of a setup; `details.failureCode` is the provider's own reason when it refused. */
export type SetupRefusal = DomainRefusal<'not_found' | 'unprocessable'>;

export type SetupCompletion =
  | { status: 'pending'; setup: PaymentSetup }
  /** `created`: this call stored the method; false when an earlier confirmation did. */
  | { status: 'active'; setup: PaymentSetup; method: PaymentMethod; created: boolean };

export async function startPaymentSetup(
  deps: SetupDeps,
  customerId: string,
  input: SetupInput,
  setupKey: string,
): Promise<Result<{ setup: PaymentSetup; next: NextAction }, SetupRefusal>> {
  await getCustomer(deps, customerId);
  const provider = deps.gateway.providerFor(input.type);
  if (!provider)
    return refuse('unprocessable', 'PAYMENT_METHOD.TYPE_UNAVAILABLE', `${input.type} payments are not available here (no provider is configured for them)`, { field: 'type' });
  const existing = await deps.customers.listPaymentMethods(customerId);
  const customerReference = existing.find((m) => providerOf(m) === provider && m.customerReference)?.customerReference;
  const started = await deps.gateway.startSetup(provider, {
    customerId,
    methodType: input.type,
    setupKey,
    ...(customerReference ? { customerReference } : {}),
    ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
  });
  const setup = newSetup({ customerId, setupId: started.setupId, provider, type: input.type, ...(input.makeDefault ? { makeDefault: true } : {}) }, deps.clock.now());
  // The same key gives the same setup at the provider: the first record stands.
  const created = await deps.customers.createSetup(setup);
  return ok({ setup: created ? setup : ((await deps.customers.getSetup(customerId, setup.setupId)) ?? setup), next: started.next });
}

export async function completePaymentSetup(deps: SetupDeps, customerId: string, setupId: string): Promise<Result<SetupCompletion, SetupRefusal>> {
  const setup = await deps.customers.getSetup(customerId, setupId);
  if (!setup) return refuse('not_found', 'PAYMENT_SETUP.NOT_FOUND', `setup ${setupId} does not exist`);
  if (setup.status !== 'pending') return settled(deps, setup);

  const answer = await deps.gateway.setupStatus(setup.provider, setupId);
  if (answer.status === 'pending') return ok({ status: 'pending', setup });
  if (answer.status === 'failed') {
    await deps.customers.failSetup(customerId, setupId, answer.code);
    return settled(deps, (await deps.customers.getSetup(customerId, setupId)) ?? { ...setup, status: 'failed', failureCode: answer.code });
  }

  const existing = await deps.customers.listPaymentMethods(customerId);
  const method = newPaymentMethod(
    deps,
    customerId,
    {
      type: setup.type,
      provider: setup.provider,
      token: answer.token,
      display: answer.display,
      ...(answer.customerReference ? { customerReference: answer.customerReference } : {}),
      ...(setup.makeDefault ? { makeDefault: true } : {}),
    },
    existing,
  );
  if (!(await deps.customers.activateSetup(setupId, method, method.isDefault))) {
    // Another confirmation (a repeat, the webhook hint) stored it first: answer its method.
    const now = await deps.customers.getSetup(customerId, setupId);
    if (!now || now.status === 'pending') throw new Error(`setup ${setupId}: activation was cancelled while still pending; retry`);
    return settled(deps, now);
  }
  await retryWhatWaitedForTheCustomer(deps, customerId);
  return ok({ status: 'active', setup: { ...setup, status: 'active', paymentMethodId: method.paymentMethodId }, method, created: true });
}

export async function getPaymentSetup(
  deps: Pick<Deps, 'customers'>,
  customerId: string,
  setupId: string,
): Promise<Result<{ setup: PaymentSetup; method?: PaymentMethod }, SetupRefusal>> {
  const setup = await deps.customers.getSetup(customerId, setupId);
  if (!setup) return refuse('not_found', 'PAYMENT_SETUP.NOT_FOUND', `setup ${setupId} does not exist`);
  const method = setup.paymentMethodId ? (await deps.customers.listPaymentMethods(customerId)).find((m) => m.paymentMethodId === setup.paymentMethodId) : undefined;
  return ok({ setup, ...(method ? { method } : {}) });
}

/** A setup that already ended: its method (which the customer may have removed since), or the provider's refusal. */
async function settled(deps: Pick<Deps, 'customers'>, setup: PaymentSetup): Promise<Result<SetupCompletion, SetupRefusal>> {
  if (setup.status === 'failed') {
    const failureCode = setup.failureCode ?? 'failed';
    return refuse('unprocessable', 'PAYMENT_SETUP.FAILED', `the provider did not authorise the method: ${failureCode}`, { details: { failureCode } });
  }
  const method = (await deps.customers.listPaymentMethods(setup.customerId)).find((m) => m.paymentMethodId === setup.paymentMethodId);
  if (!method) return refuse('unprocessable', 'PAYMENT_SETUP.METHOD_REMOVED', `the method setup ${setup.setupId} bound has been removed since; start a new setup`);
  return ok({ status: 'active', setup, method, created: false });
}

/**
 * A provider's verified webhook about a binding (Stripe `setup_intent.succeeded`): a hint only —
 * the binding is completed from the provider's own answer, exactly as the portal's call would.
 */
export function bindingHintHandler(deps: SetupDeps): BindingHintHandler {
  return {
    apply: async (provider, setupId, customerId) => {
      const setup = await deps.customers.getSetup(customerId, setupId);
      // Another provider's or another customer's setup changes nothing.
      if (!setup || setup.provider !== provider) return 'ignored';
      const done = await completePaymentSetup(deps, customerId, setupId);
      return done.ok && done.value.status === 'active' && done.value.created ? 'applied' : 'ignored';
    },
  };
}
