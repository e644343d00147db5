import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; e2e tests run the built control plane and a real agent
// (see libs/testing) in forked processes, two files at a time (one at a time for ALONE).
const e2e = {
  include: ['e2e/**/*.e2e.ts'],
  environment: 'node',
  pool: 'forks' as const,
  maxWorkers: 1,
  testTimeout: 180_000,
  hookTimeout: 180_000,
};

/**
 * Files that run after the others, one at a time: they restart the shared metadata PostgreSQL
 * and Redis (dependency faults) or load the machine on purpose (soak). Run one of them with
 * `--project e2e-alone`.
 */
const ALONE = ['e2e/dependency-faults.e2e.ts', 'e2e/soak.e2e.ts'];

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
          ...e2e,
          name: 'e2e',
          exclude: ALONE,
          // Two files at a time: each runs its own stack (own root dataset, metadata database,
          // Redis prefix and clone ports, see e2e/support.ts), and most of their time is spent
          // waiting on ZFS and servers starting.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: { ...e2e, name: 'e2e-alone', include: ALONE, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
