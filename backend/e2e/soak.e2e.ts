import { startStack, type Stack } from '@branchpoint/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatReport } from './soak/report.js';
import { runSoak, soakOptionsFromEnv } from './soak/soak.js';

// The short soak of `npm test`: about 100 random operations or 2.5 minutes from the start
// (set-up included), whichever comes first. `npm run soak` runs this file with a larger
// budget (scripts/soak.sh).
const options = soakOptionsFromEnv({ operations: 100, minutes: 2.5, refreshWeight: 1 });

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ project: 'soak', clonePorts: { first: 57300, last: 57399 } });
});

afterAll(async () => {
  await stack?.stop();
});

it(
  'keeps what the API says and what the host serves equal through random operations of four users',
  async () => {
    const report = await runSoak(stack, options);
    console.log(formatReport(report));
    expect(report.unexpected).toEqual([]);
    expect(report.violations).toEqual([]);
    expect(Object.values(report.operations).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  },
  // The budget, jobs in flight at its end (two minutes more at most), the final checks.
  (options.minutes + 5) * 60_000,
);
