import { DiffStopped } from '../compute/compute-diff.js';
import type { Checkpoint } from '../compute/diff-reader.js';

/** How often a running job looks whether its row is still there (deleting it cancels). */
const CANCEL_CHECK_MS = 1_000;

/**
 * The checkpoint of a long comparison (a diff, a rebase): throws DiffStopped once `seconds`
 * have passed, or when `wanted` (asked at most once a second) says its row is gone.
 */
export function budgetCheckpoint(
  what: string,
  seconds: number,
  wanted: () => Promise<boolean>,
): Checkpoint {
  const deadline = Date.now() + seconds * 1000;
  let checkedAt = 0;
  return async () => {
    if (Date.now() > deadline)
      throw new DiffStopped(`stopped: the ${what} took longer than its budget of ${seconds} s`);
    if (Date.now() - checkedAt < CANCEL_CHECK_MS) return;
    checkedAt = Date.now();
    if (!(await wanted())) throw new DiffStopped('cancelled');
  };
}
