import { defineConfig } from 'vitest/config';

/**
 * One vitest project per kind of test (CONTRIBUTING.md, "Testing"):
 * unit (pure, no I/O beyond temp files), integration (real DuckDB, s3rver on loopback, the whole
 * demo), browser (Debian Chromium via playwright-core) and infra (CDK synth + assertions).
 */
export default defineConfig({
  test: {
    env: { TZ: 'UTC', NODE_OPTIONS: '--openssl-legacy-provider' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
