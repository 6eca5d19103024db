import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure domain and adapters, no emulator: `npm run test:unit` runs in seconds)
 * and `stack` (integration, infra, e2e and browser tests against DynamoDB Local and the SQS/SNS
 * emulator, which the global setup starts once). `npm test` runs both.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // The local stack runs on Node 20; deployed functions run on Node 22, where the SDK is quiet.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'stack', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'], globalSetup: ['test/support/global-setup.ts'] },
      },
    ],
  },
});
