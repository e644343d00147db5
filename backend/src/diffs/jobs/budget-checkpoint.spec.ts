import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiffStopped } from '../compute/compute-diff.js';
import { budgetCheckpoint } from './budget-checkpoint.js';

describe('budgetCheckpoint', () => {
  afterEach(() => vi.useRealTimers());

  it('stops once the row is gone, asking at most once a second', async () => {
    vi.useFakeTimers();
    let wanted = true;
    const asked = vi.fn(async () => wanted);
    const checkpoint = budgetCheckpoint('rebase', 60, asked);
    await checkpoint();
    wanted = false;
    await checkpoint(); // within the second: not asked again
    expect(asked).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_001);
    await expect(checkpoint()).rejects.toThrow(new DiffStopped('cancelled'));
  });

  it('stops past its time budget, naming it', async () => {
    vi.useFakeTimers();
    const checkpoint = budgetCheckpoint('diff', 2, async () => true);
    await checkpoint();
    vi.advanceTimersByTime(2_001);
    await expect(checkpoint()).rejects.toThrow(
      'stopped: the diff took longer than its budget of 2 s',
    );
  });
});
