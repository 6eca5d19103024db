import { describe, expect, it } from 'vitest';
import { mapStripeDecline } from '../../shared/adapters/gateway/stripe/stripe-declines.ts';
import { cardDisplay, stripeIdempotencyKey } from '../../shared/adapters/gateway/stripe/stripe-gateway.ts';
import { isRetryable } from '../../shared/domain/dunning.ts';

describe('Function: mapStripeDecline', () => {
  it.each([
    [{ code: 'card_declined', decline_code: 'insufficient_funds' }, 'insufficient_funds', true],
    [{ code: 'card_declined', decline_code: 'issuer_not_available' }, 'issuer_unavailable', true],
    [{ code: 'card_declined', decline_code: 'try_again_later' }, 'issuer_unavailable', true],
    [{ code: 'processing_error' }, 'processing_error', true],
    [{ code: 'expired_card' }, 'card_expired', false],
    [{ code: 'card_declined', decline_code: 'lost_card' }, 'method_revoked', false],
    [{ code: 'card_declined', decline_code: 'stolen_card' }, 'method_revoked', false],
    [{ code: 'card_declined', decline_code: 'pickup_card' }, 'method_revoked', false],
    [{ code: 'card_declined', decline_code: 'revocation_of_authorization' }, 'method_revoked', false],
    [{ code: 'incorrect_cvc' }, 'invalid_method', false],
    [{ code: 'card_declined', decline_code: 'generic_decline' }, 'invalid_method', false],
    [{ code: 'card_declined', decline_code: 'do_not_honor', advice_code: 'try_again_later' }, 'issuer_unavailable', true],
    [{ code: 'authentication_required', decline_code: 'authentication_required' }, 'authentication_required', false],
  ])('maps %o to %s (retryable: %s)', (failure, code, retryable) => {
    expect(mapStripeDecline(failure)).toBe(code);
    expect(isRetryable(code)).toBe(retryable);
  });
});

describe('Function: stripeIdempotencyKey', () => {
  it('keeps an attempt id that fits, in its own namespace', () => {
    expect(stripeIdempotencyKey('charge', 'plan-1:3:2')).toBe('repayflow:charge:plan-1:3:2');
    expect(stripeIdempotencyKey('setup', 'plan-1:3:2')).not.toBe(stripeIdempotencyKey('charge', 'plan-1:3:2'));
  });

  it('hashes an id too long or outside printable ASCII, deterministically', () => {
    const long = 'p'.repeat(300);
    expect(stripeIdempotencyKey('charge', long)).toBe(stripeIdempotencyKey('charge', long));
    expect(stripeIdempotencyKey('charge', long).length).toBeLessThanOrEqual(255);
    expect(stripeIdempotencyKey('charge', '计划:1:1')).toMatch(/^repayflow:charge:sha256:[0-9a-f]{64}$/);
  });
});

describe('Function: cardDisplay', () => {
  it('shows the brand and last four digits', () => {
    expect(cardDisplay({ brand: 'visa', last4: '4242' })).toBe('Visa ****4242');
    expect(cardDisplay({ brand: 'unionpay', last4: '1234' })).toBe('UnionPay ****1234');
  });
});
