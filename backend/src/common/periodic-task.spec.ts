import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeriodicTask } from './periodic-task.js';

describe('PeriodicTask', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs first after the given delay, then on every interval, and logs failures without stopping', async () => {
    const logger = new Logger('test');
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const work = vi
      .fn()
      .mockRejectedValueOnce(new Error('agent down'))
      .mockResolvedValue(undefined);
    const task = new PeriodicTask('host poll', logger);

    task.start(work, 1_000, 10);
    await vi.advanceTimersByTimeAsync(10);
    expect(work).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith('host poll failed: Error: agent down');

    await vi.advanceTimersByTimeAsync(2_000);
    expect(work).toHaveBeenCalledTimes(3);

    task.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('serial: skips a round while the last one is still under way', async () => {
    let finish = () => undefined as void;
    const work = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const task = new PeriodicTask('idle stop', new Logger('test'));

    task.start(work, 100, undefined, { serial: true });
    await vi.advanceTimersByTimeAsync(350);
    expect(work).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(work).toHaveBeenCalledTimes(2);
    task.stop();
  });

  it('otherwise lets rounds overlap: one stuck round does not hold up the next', async () => {
    const work = vi.fn(() => new Promise<void>(() => undefined));
    const task = new PeriodicTask('host poll', new Logger('test'));
    task.start(work, 100);
    await vi.advanceTimersByTimeAsync(350);
    expect(work).toHaveBeenCalledTimes(3);
    task.stop();
  });
});
