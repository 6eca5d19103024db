// The Stripe tests need no emulator: `npx vitest run -c test/fakes/stripe/vitest.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/integration/stripe-*.test.ts', 'test/unit/stripe-*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
