import { afterEach, describe, expect, it } from 'vitest';
import { logStepTimes, summarizeSteps, timedStep, withStepTimes } from './step-times.js';

describe('step times', () => {
  afterEach(() => logStepTimes(null));

  it('sums the steps of one call by name, longest first', () => {
    expect(
      summarizeSteps(612.4, [
        { name: 'zfs get', ms: 20 },
        { name: 'postgres stop', ms: 300.6 },
        { name: 'zfs get', ms: 30 },
      ]),
    ).toBe('612ms: postgres stop 1x 301ms, zfs get 2x 50ms');
    expect(summarizeSteps(3, [])).toBe('3ms');
  });

  it('records the steps of each call apart, through awaits, and reports failed calls too', async () => {
    const lines: string[] = [];
    logStepTimes((line) => lines.push(line));
    const call = (label: string, step: string) =>
      withStepTimes(label, async () => {
        await timedStep(step, () => new Promise((done) => setTimeout(done, 5)));
        return label;
      });
    const [a, b] = await Promise.all([call('A', 'zfs clone'), call('B', 'zfs snapshot')]);
    expect(a.result).toBe('A');
    expect(a.summary).toMatch(/^\d+ms: zfs clone 1x \d+ms$/);
    expect(b.summary).toMatch(/^\d+ms: zfs snapshot 1x \d+ms$/);
    await expect(
      withStepTimes('C', () => timedStep('CHECKPOINT', () => Promise.reject(new Error('no')))),
    ).rejects.toThrow('no');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^storage-agent: C \d+ms: CHECKPOINT 1x \d+ms$/);
    // Outside a call a step only runs.
    expect(await timedStep('zfs get', () => Promise.resolve(7))).toBe(7);
  });
});
