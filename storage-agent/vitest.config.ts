import { defineConfig } from 'vitest/config';

// Unit specs beside the code and the integration suites in e2e/ run in one `vitest run`. The
// integration suites share one zfs pool and real PostgreSQL servers, so files run one at a time.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'e2e/**/*.e2e.spec.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
