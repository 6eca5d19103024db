// The Alipay tests need no emulator: `npx vitest run -c test/fakes/alipay/vitest.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/integration/alipay-*.test.ts', 'test/unit/alipay-*.test.ts', 'test/infra/alipay-*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
