/**
 * The gateway use cases see: each call goes to the provider it names. A method type is bound
 * through the first configured provider that serves it; a method keeps the provider that
 * issued it, so its charges, status queries and release always reach that provider.
 */
import type { PaymentMethodType } from '../../domain/customer.ts';
import type { PaymentGateway, ProviderGateway, ProviderName } from '../../ports/payment-gateway.port.ts';

export class ProviderNotConfiguredError extends Error {
  constructor(readonly provider: ProviderName) {
    super(`payment provider ${provider} is not configured here`);
    this.name = 'ProviderNotConfiguredError';
  }
}

export class ProviderRouter implements PaymentGateway {
  readonly #byName = new Map<ProviderName, ProviderGateway>();

  constructor(gateways: readonly ProviderGateway[]) {
    for (const g of gateways) this.#byName.set(g.provider, g);
  }

  #get(provider: ProviderName): ProviderGateway {
    const gateway = this.#byName.get(provider);
    if (!gateway) throw new ProviderNotConfiguredError(provider);
    return gateway;
  }

  providerFor(methodType: PaymentMethodType): ProviderName | undefined {
    for (const g of this.#byName.values()) if (g.methodTypes.includes(methodType)) return g.provider;
    return undefined;
  }

  providers(): readonly ProviderName[] {
    return [...this.#byName.keys()];
  }

  charge: PaymentGateway['charge'] = (request) => this.#get(request.provider).charge(request);
  status: PaymentGateway['status'] = (query) => this.#get(query.provider).status(query);
  cancel: PaymentGateway['cancel'] = (query) => this.#get(query.provider).cancel(query);
  startSetup: PaymentGateway['startSetup'] = (provider, request) => this.#get(provider).startSetup(request);
  setupStatus: PaymentGateway['setupStatus'] = (provider, setupId) => this.#get(provider).setupStatus(setupId);
  verifyToken: PaymentGateway['verifyToken'] = (provider, input) => this.#get(provider).verifyToken(input);
  captures: PaymentGateway['captures'] = (provider, from, to) => this.#get(provider).captures(from, to);
  listingLag: PaymentGateway['listingLag'] = (provider) => this.#byName.get(provider)?.listingLag;
  release: PaymentGateway['release'] = async (provider, input) => {
    await this.#get(provider).release?.(input);
  };
  needsPreDebitNotice: PaymentGateway['needsPreDebitNotice'] = (provider) => typeof this.#byName.get(provider)?.preDebitNotice === 'function';
  preDebitNotice: PaymentGateway['preDebitNotice'] = async (provider, request) => {
    const gateway = this.#get(provider);
    return gateway.preDebitNotice ? gateway.preDebitNotice(request) : undefined;
  };
}
