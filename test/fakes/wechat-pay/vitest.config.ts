// The WeChat Pay tests that need no emulator: `npx vitest run -c test/fakes/wechat-pay/vitest.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/integration/wechat-pay-*.test.ts', 'test/unit/wechat-pay-*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
