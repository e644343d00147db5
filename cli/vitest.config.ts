import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit specs sit beside the code. The e2e suite drives the built CLI (dist/main.js) against a
// real stack from libs/testing (agent + control plane on their own ZFS root), one file at a time.
export default defineConfig({
  // The test library runs from source; the CLI, agent and control plane under test from their builds.
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
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
