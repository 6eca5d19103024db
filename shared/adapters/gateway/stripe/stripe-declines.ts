/**
 * Stripe's card errors in repayflow's decline vocabulary (shared/domain/dunning.ts).
 * Codes from Stripe's decline-code table, https://docs.stripe.com/declines/codes, and its
 * error codes, https://docs.stripe.com/error-codes. A card error carries `code`
 * (`card_declined`, `expired_card`, `authentication_required`, …) and, for `card_declined`,
 * the issuer's reason in `decline_code`; the more specific of the two decides.
 */

/** Declines worth trying again later with the same card. */
const RETRYABLE: Record<string, 'insufficient_funds' | 'processing_error' | 'issuer_unavailable'> = {
  insufficient_funds: 'insufficient_funds',
  card_velocity_exceeded: 'insufficient_funds',
  withdrawal_count_limit_exceeded: 'insufficient_funds',
  processing_error: 'processing_error',
  reenter_transaction: 'processing_error',
  issuer_not_available: 'issuer_unavailable',
  try_again_later: 'issuer_unavailable',
  approve_with_id: 'issuer_unavailable',
  card_decline_rate_limit_exceeded: 'issuer_unavailable',
};

/** Declines that no retry of this card will cure. */
const FINAL: Record<string, 'card_expired' | 'account_closed' | 'method_revoked' | 'invalid_method'> = {
  expired_card: 'card_expired',
  invalid_account: 'account_closed',
  account_closed: 'account_closed',
  lost_card: 'method_revoked',
  stolen_card: 'method_revoked',
  pickup_card: 'method_revoked',
  restricted_card: 'method_revoked',
  revocation_of_authorization: 'method_revoked',
  revocation_of_all_authorizations: 'method_revoked',
  stop_payment_order: 'method_revoked',
  incorrect_number: 'invalid_method',
  invalid_number: 'invalid_method',
  incorrect_cvc: 'invalid_method',
  invalid_cvc: 'invalid_method',
  invalid_expiry_month: 'invalid_method',
  invalid_expiry_year: 'invalid_method',
  card_not_supported: 'invalid_method',
  currency_not_supported: 'invalid_method',
  new_account_information_available: 'invalid_method',
};

/**
 * An off-session charge the issuer wants the customer to authenticate (3-D Secure). Not a
 * retryable decline (`isRetryable` is false for it): the customer must pay on-session once,
 * after which off-session debits usually pass again.
 */
export const AUTHENTICATION_REQUIRED = 'authentication_required';

export interface StripeCardFailure {
  code?: string | null;
  decline_code?: string | null;
  advice_code?: string | null;
}

export function mapStripeDecline(failure: StripeCardFailure): string {
  const specific = failure.code === 'card_declined' ? (failure.decline_code ?? undefined) : (failure.code ?? undefined);
  for (const c of [specific, failure.decline_code, failure.code]) {
    if (!c) continue;
    if (c === AUTHENTICATION_REQUIRED) return AUTHENTICATION_REQUIRED;
    // The customer failed 3-D Secure: their confirmation failed, not their card.
    if (c === 'payment_intent_authentication_failure') return 'authentication_failed';
    if (RETRYABLE[c]) return RETRYABLE[c];
    if (FINAL[c]) return FINAL[c];
  }
  // Generic declines (generic_decline, do_not_honor, fraudulent, …): card networks penalise
  // blind retries, so only Stripe's own advice makes one retryable.
  if (failure.advice_code === 'try_again_later') return 'issuer_unavailable';
  return 'invalid_method';
}
