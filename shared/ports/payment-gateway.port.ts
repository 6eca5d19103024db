/**
 * The payment gateway: the only truth about money. Every charge carries an idempotency key
 * (the attempt id, mapped by each adapter to its provider's alphabet), its status can be asked
 * under that key whatever happened to the payment method since, methods are bound through the
 * provider's own authorisation, and the provider's captures of a day can be listed for
 * reconciliation.
 *
 * One adapter per provider implements `ProviderGateway`; `PaymentGateway` routes each call to
 * the provider named in it (see shared/adapters/gateway/provider-router.ts).
 */
import type { PaymentMethodType, ProviderName } from '../domain/customer.ts';
import type { ListingLag } from '../domain/reconciliation.ts';

export { PROVIDERS, type ProviderName } from '../domain/customer.ts';

export interface ChargeRequest {
  idempotencyKey: string;
  /** The provider that issued `token` (stored on the method when it was bound). */
  provider: ProviderName;
  /** The provider's reference of the method (Stripe PaymentMethod id, agreement number, contract id). */
  token: string;
  /** The provider's reference of the customer the method belongs to (Stripe Customer id). */
  customerReference?: string;
  methodType: PaymentMethodType;
  amount: number;
  currency: string;
  planId: string;
  /**
   * `auto`: a debit under the customer's standing authorisation (off-session), which wallets may
   * confirm later; `customer_present`: the customer is paying now and may be asked to confirm
   * (3-D Secure, a wallet password).
   */
  mode: 'auto' | 'customer_present';
}

/** What the customer must do next, in the provider's own terms. */
export type NextAction =
  /** Stripe.js: `stripe.handleNextAction({ clientSecret })` or `confirmCardSetup(clientSecret)`. */
  | { type: 'stripe_sdk'; clientSecret: string; publishableKey?: string }
  /** Open this page (a wallet's signing or password page; the local stand-in page). */
  | { type: 'redirect'; url: string }
  /** Show this as a QR code to be scanned with the wallet app. */
  | { type: 'qr_code'; payload: string };

/**
 * `declined`: the provider answered no. `unknown`: the provider may or may not have charged (a
 * timeout, a lost answer); ask `status` before anything else. `pending`: accepted, confirmed
 * later (a wallet). `requires_action`: the customer must confirm (customer_present only); the
 * result arrives later, like a pending one.
 */
export type ChargeResult =
  | { outcome: 'captured'; gatewayReference: string }
  | { outcome: 'declined'; code: string }
  | { outcome: 'unknown'; reason: string }
  | { outcome: 'pending' }
  | { outcome: 'requires_action'; next: NextAction };

/**
 * `not_found` is definitive: the provider has no charge under that key and will not have one
 * from an earlier request (an adapter returns it only once its provider's consistency window
 * has passed). `unknown`: the provider cannot tell yet; ask again later, never charge meanwhile.
 */
export type ChargeStatus =
  | { status: 'captured'; gatewayReference: string }
  | { status: 'declined'; code: string }
  | { status: 'pending' }
  | { status: 'requires_action'; next: NextAction }
  | { status: 'not_found' }
  | { status: 'unknown'; reason: string };

export interface StatusQuery {
  idempotencyKey: string;
  provider: ProviderName;
  /** When the attempt was first made: a provider whose lookups lag uses it to trust `not_found`. */
  attemptedAt: Date;
}

/** One capture as the provider's own listing reports it. */
export interface ProviderCapture {
  provider: ProviderName;
  idempotencyKey: string;
  gatewayReference: string;
  amount: number;
  currency: string;
  capturedAt: string;
}

export interface SetupRequest {
  customerId: string;
  methodType: PaymentMethodType;
  /** The customer's reference at this provider from an earlier binding, reused when present. */
  customerReference?: string;
  /** Idempotency key of the setup (the same key never starts two authorisations). */
  setupKey: string;
  /** Where a redirect-based provider sends the customer back. */
  returnUrl?: string;
}

export interface SetupStarted {
  setupId: string;
  next: NextAction;
  customerReference?: string;
}

/** A method the provider confirmed: its reference and a masked display taken from the provider. */
export interface VerifiedMethod {
  token: string;
  display: string;
  customerReference?: string;
}

export type SetupStatus = ({ status: 'succeeded' } & VerifiedMethod) | { status: 'pending' } | { status: 'failed'; code: string };

export interface TokenInput {
  token: string;
  methodType: PaymentMethodType;
  customerId: string;
  customerReference?: string;
  /** The display the client showed; a provider that reports the method's own ignores it. */
  display?: string;
}

export type TokenCheck = ({ ok: true } & VerifiedMethod) | { ok: false; code: 'unknown_token' | 'wrong_type'; detail: string };

/** A debit the provider must be told of before it will take it (WeChat Pay's 预扣费通知). */
export interface PreDebitNoticeRequest {
  token: string;
  customerReference?: string;
  /** The most the debit may take (integer minor units). */
  amount: number;
  currency: string;
}

/**
 * The provider's own window for the announced debit: local dates in `timeZone` (the provider's),
 * both ends included; or the provider's refusal to announce it (a contract that ended), which the
 * debit itself will then report as a decline.
 */
export type PreDebitWindow = { from: string; until: string; timeZone: string } | { refused: string };

/**
 * The provider has not published its listing of a day yet (WeChat Pay's `STATEMENT_CREATING`, an
 * Alipay bill not generated yet): the day is reconciled for that provider later, never reported
 * as matching or as different meanwhile.
 */
export class ListingNotReady extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly day: string,
    detail: string,
  ) {
    super(`${provider} has not published its listing of ${day} yet: ${detail}`);
    this.name = 'ListingNotReady';
  }
}

/** One provider's side of the gateway. */
export interface ProviderGateway {
  readonly provider: ProviderName;
  /** The method types this provider serves in this deployment. */
  readonly methodTypes: readonly PaymentMethodType[];
  charge(request: ChargeRequest): Promise<ChargeResult>;
  status(query: StatusQuery): Promise<ChargeStatus>;
  /**
   * Cancels a charge still waiting for the customer (an abandoned verification) so it can never
   * capture later; answers the charge's final status (captured, if the customer finished first).
   */
  cancel(query: StatusQuery): Promise<ChargeStatus>;
  /** Starts the provider's own authorisation of a new method. */
  startSetup(request: SetupRequest): Promise<SetupStarted>;
  /** Asks the provider how a setup ended (never trusts the client's word). */
  setupStatus(setupId: string): Promise<SetupStatus>;
  /** Checks a reference the provider issued to the client (Stripe.js PaymentMethod id) and attaches it. */
  verifyToken(input: TokenInput): Promise<TokenCheck>;
  /**
   * Captures whose provider-side time falls in [from, to), from the provider's own listing. Days
   * the listing does not cover yet (see `listingLag`) are left out; a day that should be covered
   * but is not published yet throws `ListingNotReady`.
   */
  captures(from: Date, to: Date): Promise<ProviderCapture[]>;
  /** Present when the provider lists a day only later (a daily bill): when a day's listing is whole. */
  readonly listingLag?: ListingLag;
  /** Ends the standing authorisation when the customer removes the method (detach, unsign). */
  release?(input: { token: string; customerReference?: string }): Promise<void>;
  /** Present when the provider must be told of each debit beforehand; answers the window it then allows. */
  preDebitNotice?(request: PreDebitNoticeRequest): Promise<PreDebitWindow>;
}

/** The gateway use cases see: every call names its provider. */
export interface PaymentGateway {
  /** The provider that binds new methods of this type here, or undefined when none is configured. */
  providerFor(methodType: PaymentMethodType): ProviderName | undefined;
  /** Every provider configured here (reconciliation walks them). */
  providers(): readonly ProviderName[];
  charge(request: ChargeRequest): Promise<ChargeResult>;
  status(query: StatusQuery): Promise<ChargeStatus>;
  cancel(query: StatusQuery): Promise<ChargeStatus>;
  startSetup(provider: ProviderName, request: SetupRequest): Promise<SetupStarted>;
  setupStatus(provider: ProviderName, setupId: string): Promise<SetupStatus>;
  verifyToken(provider: ProviderName, input: TokenInput): Promise<TokenCheck>;
  captures(provider: ProviderName, from: Date, to: Date): Promise<ProviderCapture[]>;
  /** When the provider's listing of a day is whole; undefined for a provider that lists in real time (answered without I/O). */
  listingLag(provider: ProviderName): ListingLag | undefined;
  release(provider: ProviderName, input: { token: string; customerReference?: string }): Promise<void>;
  /** Whether the provider must be told of each debit beforehand (answered without I/O). */
  needsPreDebitNotice(provider: ProviderName): boolean;
  /** Tells the provider of a coming debit where it wants that; undefined when it does not. */
  preDebitNotice(provider: ProviderName, request: PreDebitNoticeRequest): Promise<PreDebitWindow | undefined>;
}
