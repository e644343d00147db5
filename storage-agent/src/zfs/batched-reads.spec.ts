import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../common/command-runner.js';
import { BatchedReads } from './batched-reads.js';

const read = (props: string, name: string) => [
  'get',
  '-H',
  '-p',
  '-o',
  'name,property,value,source',
  props,
  name,
];

/** A fake `zfs get`: rows for names in `existing`, "cannot open" for the rest; runs held until released. */
function fakeZfs(existing: string[]) {
  const runs: string[][] = [];
  const pending: (() => void)[] = [];
  const run = (args: string[]): Promise<CommandResult> => {
    runs.push(args);
    const names = args.slice(6);
    const rows = names.filter((n) => existing.includes(n)).map((n) => `${n}\tused\t1\t-`);
    const errors = names
      .filter((n) => !existing.includes(n))
      .map((n) => `cannot open '${n}': dataset does not exist`);
    const result = {
      stdout: rows.join('\n'),
      stderr: errors.join('\n'),
      exitCode: errors.length ? 1 : 0,
    };
    return new Promise((resolve) => pending.push(() => resolve(result)));
  };
  const releaseAll = async () => {
    while (pending.length) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { run, runs, releaseAll };
}

describe('BatchedReads', () => {
  it('batches only depth-0 gets of one name', () => {
    expect(BatchedReads.batches(read('all', 'p/a'))).toBe(true);
    expect(BatchedReads.batches(['get', '-H', '-p', '-d', '1', '-o', 'x', 'all', 'p/a'])).toBe(
      false,
    );
    expect(BatchedReads.batches(['list', '-H', '-o', 'name', 'p/a'])).toBe(false);
  });

  it('runs a lone read at once, and reads asked for meanwhile together after it', async () => {
    const zfs = fakeZfs(['p/a', 'p/b', 'p/c']);
    const reads = new BatchedReads(zfs.run);
    const first = reads.get(read('used', 'p/a'));
    expect(zfs.runs).toEqual([read('used', 'p/a')]);
    const second = reads.get(read('used', 'p/b'));
    const third = reads.get(read('used', 'p/c'));
    const again = reads.get(read('used', 'p/b'));
    await zfs.releaseAll();
    expect(zfs.runs).toEqual([read('used', 'p/a'), [...read('used', 'p/b'), 'p/c']]);
    expect((await first).stdout).toBe('p/a\tused\t1\t-');
    expect(await second).toEqual({ stdout: 'p/b\tused\t1\t-', stderr: '', exitCode: 0 });
    expect((await third).stdout).toBe('p/c\tused\t1\t-');
    expect((await again).stdout).toBe('p/b\tused\t1\t-');
  });

  it('gives a missing name its own error, and the others their rows', async () => {
    const zfs = fakeZfs(['p/a', 'p/b']);
    const reads = new BatchedReads(zfs.run);
    void reads.get(read('all', 'p/a'));
    const present = reads.get(read('all', 'p/b'));
    const missing = reads.get(read('all', 'p/gone'));
    await zfs.releaseAll();
    expect((await present).exitCode).toBe(0);
    expect(await missing).toEqual({
      stdout: '',
      stderr: "cannot open 'p/gone': dataset does not exist",
      exitCode: 1,
    });
  });

  it('reads a name alone again when the batch neither answered nor named it', async () => {
    const runs: string[][] = [];
    let calls = 0;
    const reads = new BatchedReads(async (args) => {
      runs.push(args);
      calls++;
      if (calls === 2) return { stdout: '', stderr: 'out of memory', exitCode: 1 };
      return { stdout: `${args[6]}\tused\t1\t-`, stderr: '', exitCode: 0 };
    });
    const first = reads.get(read('used', 'p/a'));
    const second = reads.get(read('used', 'p/b'));
    const third = reads.get(read('used', 'p/c'));
    await first;
    expect((await second).stdout).toBe('p/b\tused\t1\t-');
    expect((await third).stdout).toBe('p/c\tused\t1\t-');
    expect(runs.slice(2).map((args) => args[6])).toEqual(['p/b', 'p/c']);
  });
});
