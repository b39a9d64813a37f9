import { defineConfig } from 'vitest/config';

/**
 * One vitest project per kind of test (CONTRIBUTING.md, "Testing"):
 * unit (pure, no I/O beyond temp files), integration (real DuckDB, s3rver on loopback, the whole
 * demo), browser (Debian Chromium via playwright-core) and infra (CDK synth + assertions).
 * Unit, integration and infra files share their worker's modules (`isolate: false`): importing
 * aws-cdk-lib, DuckDB and the AWS SDK once per file was over half of those projects' time. A file
 * must undo what it changes globally (CONTRIBUTING.md, "Testing").
 */
export default defineConfig({
  test: {
    env: { TZ: 'UTC', NODE_OPTIONS: '--openssl-legacy-provider' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          isolate: false,
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
          isolate: false,
          globalSetup: ['test/infra/scratch-setup.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
