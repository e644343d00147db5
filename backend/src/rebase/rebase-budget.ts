import type { ReplayBudget } from './replay/replay.js';

/** What one rebase may cost: rows (planner estimates of the three points), time, items listed. */
export const REBASE_BUDGET: ReplayBudget & { seconds: number } = {
  maxRows: 20_000_000,
  listed: 200,
  seconds: 30 * 60,
};
