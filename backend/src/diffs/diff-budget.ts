import type { DiffBudget } from './compute/compute-diff.js';

/** What one diff may cost: rows (planner estimates of both sides), time, rows shown per table. */
export const DIFF_BUDGET: DiffBudget & { seconds: number } = {
  maxRows: 20_000_000,
  changedRows: 20,
  seconds: 15 * 60,
};
