import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; e2e tests run the built control plane and a real agent
// (see libs/testing), one file at a time in forked processes.
export default defineConfig({
  // The test library runs from source; the control plane and agent under test run from their builds.
  resolve: {
    alias: {
      '@branchpoint/testing': fileURLToPath(
        new URL('../libs/testing/src/index.ts', import.meta.url),
      ),
    },
  },
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.spec.ts'], environment: 'node' } },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
