import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyedMutex', () => {
  it('runs work of one key one at a time, other keys in parallel, and survives failures', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const work = (key: string, name: string, fail = false) =>
      mutex.run(key, async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      });
    const results = await Promise.allSettled([
      work('a', 'a1', true),
      work('a', 'a2'),
      work('b', 'b1'),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('says whether work on a key runs or waits, and not once it is done', async () => {
    const mutex = new KeyedMutex();
    expect(mutex.busy('a')).toBe(false);
    let release = () => undefined as void;
    const first = mutex.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    const second = mutex.run('a', async () => undefined);
    expect(mutex.busy('a')).toBe(true);
    expect(mutex.busy('b')).toBe(false);
    await tick(); // the work starts on a later turn
    release();
    await Promise.all([first, second]);
    expect(mutex.busy('a')).toBe(false);
  });
});
