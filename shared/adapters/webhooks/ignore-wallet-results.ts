import type { BindingHintHandler, WalletResultHandler } from '../../ports/webhook.port.ts';

/**
 * The stand-in until the application layer settles wallet attempts from webhooks: every
 * verified result is logged by the caller and acknowledged, and nothing changes.
 */
export const ignoreWalletResults: WalletResultHandler = {
  apply: async () => 'ignored',
};

/** The stand-in until the binding use case completes setups from webhooks: acknowledged, nothing changes. */
export const ignoreBindingHints: BindingHintHandler = {
  apply: async () => 'ignored',
};
