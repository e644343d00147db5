import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../common/command-runner.js';
import { BatchedCommands, getArgs, type Batchable } from './batched-commands.js';

const read = (props: string, name: string) => getArgs([], props, [name]);

const readOf = (args: string[]): Batchable => {
  const parsed = BatchedCommands.of(args);
  if (!parsed) throw new Error(`not a batched command: ${args.join(' ')}`);
  return parsed;
};

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
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const releaseAll = async () => {
    await nextTurn();
    while (pending.length) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { run, runs, releaseAll };
}

const scoped = (scope: string[], name: string) => getArgs(scope, 'used', [name]);

describe('BatchedCommands', () => {
  it('knows the gets and holds of one name it batches, with their depth', () => {
    const one = readOf(read('all', 'p/a'));
    expect(one).toMatchObject({ depth: 0, name: 'p/a' });
    expect(one.argsFor(['p/a', 'p/b'])).toEqual([...read('all', 'p/a'), 'p/b']);
    expect(readOf(scoped(['-d', '1'], 'p/a')).depth).toBe(1);
    expect(readOf(scoped(['-r'], 'p/a')).depth).toBe(Infinity);
    expect(readOf(scoped(['-r'], 'p/a')).kind).not.toBe(readOf(scoped([], 'p/a')).kind);
    const hold = readOf(['hold', '-r', 't', 'p/a@s']);
    expect(hold).toMatchObject({ depth: 0, name: 'p/a@s' });
    expect(hold.argsFor(['p/a@s', 'p/b@s'])).toEqual(['hold', '-r', 't', 'p/a@s', 'p/b@s']);
    expect(hold.kind).not.toBe(readOf(['hold', '-r', 'u', 'p/a@s']).kind);
    expect(BatchedCommands.of(['get', '-H', '-p', '-o', 'name,value', 'all', 'p/a'])).toBeNull();
    expect(BatchedCommands.of([...read('all', 'p/a'), 'p/b'])).toBeNull();
    expect(BatchedCommands.of(['list', '-H', '-o', 'name', 'p/a'])).toBeNull();
    expect(BatchedCommands.of(['hold', 't', 'p/a@s'])).toBeNull();
    expect(BatchedCommands.of(['release', '-r', 't', 'p/a@s'])).toBeNull();
  });

  it('splits a batch of depth-1 reads by where each row is, and keeps nested names apart', async () => {
    const runs: string[][] = [];
    const tree = [
      'p/a',
      'p/a@s1',
      'p/a/db',
      'p/a/db@s1',
      'p/ab',
      'p/b',
      'p/b@s1',
      'p/b/db',
      'p/b/db/x',
      'p/x',
    ];
    const reads = new BatchedCommands(async (args) => {
      runs.push(args);
      const names = args.slice(8);
      const stdout = tree
        .filter((row) =>
          names.some((n) => row === n || row.startsWith(`${n}@`) || row.startsWith(`${n}/`)),
        )
        .map((row) => `${row}\tused\t1\t-`)
        .join('\n');
      return { stdout, stderr: '', exitCode: 0 };
    });
    const first = reads.submit(readOf(scoped(['-d', '1'], 'p/x')));
    const a = reads.submit(readOf(scoped(['-d', '1'], 'p/a')));
    const b = reads.submit(readOf(scoped(['-d', '1'], 'p/b')));
    const inner = reads.submit(readOf(scoped(['-d', '1'], 'p/b/db')));
    await first;
    const names = (answer: CommandResult) =>
      answer.stdout.split('\n').map((row) => row.split('\t')[0]);
    expect(names(await a)).toEqual(['p/a', 'p/a@s1', 'p/a/db']);
    expect(names(await b)).toEqual(['p/b', 'p/b@s1', 'p/b/db']);
    expect(names(await inner)).toEqual(['p/b/db', 'p/b/db/x']);
    expect(runs.map((args) => args.slice(8))).toEqual([['p/x', 'p/a', 'p/b'], ['p/b/db']]);
  });

  it('runs the reads of one turn together, and reads asked for meanwhile together after them', async () => {
    const zfs = fakeZfs(['p/a', 'p/b', 'p/c', 'p/d']);
    const reads = new BatchedCommands(zfs.run);
    const first = reads.submit(readOf(read('used', 'p/a')));
    const sameTurn = reads.submit(readOf(read('used', 'p/d')));
    expect(zfs.runs).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(zfs.runs).toEqual([[...read('used', 'p/a'), 'p/d']]);
    const second = reads.submit(readOf(read('used', 'p/b')));
    const third = reads.submit(readOf(read('used', 'p/c')));
    const again = reads.submit(readOf(read('used', 'p/b')));
    await zfs.releaseAll();
    expect(zfs.runs).toEqual([
      [...read('used', 'p/a'), 'p/d'],
      [...read('used', 'p/b'), 'p/c'],
    ]);
    expect((await first).stdout).toBe('p/a\tused\t1\t-');
    expect((await sameTurn).stdout).toBe('p/d\tused\t1\t-');
    expect(await second).toEqual({ stdout: 'p/b\tused\t1\t-', stderr: '', exitCode: 0 });
    expect((await third).stdout).toBe('p/c\tused\t1\t-');
    expect((await again).stdout).toBe('p/b\tused\t1\t-');
  });

  it('gives a missing name its own error, and the others their rows', async () => {
    const zfs = fakeZfs(['p/a', 'p/b']);
    const reads = new BatchedCommands(zfs.run);
    void reads.submit(readOf(read('all', 'p/a')));
    const present = reads.submit(readOf(read('all', 'p/b')));
    const missing = reads.submit(readOf(read('all', 'p/gone')));
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
    const reads = new BatchedCommands(async (args) => {
      runs.push(args);
      calls++;
      if (calls === 2) return { stdout: '', stderr: 'out of memory', exitCode: 1 };
      return { stdout: `${args[6]}\tused\t1\t-`, stderr: '', exitCode: 0 };
    });
    const first = reads.submit(readOf(read('used', 'p/a')));
    await new Promise((resolve) => setImmediate(resolve));
    const second = reads.submit(readOf(read('used', 'p/b')));
    const third = reads.submit(readOf(read('used', 'p/c')));
    await first;
    expect((await second).stdout).toBe('p/b\tused\t1\t-');
    expect((await third).stdout).toBe('p/c\tused\t1\t-');
    expect(runs.slice(2).map((args) => args[6])).toEqual(['p/b', 'p/c']);
  });

  it('holds the snapshots asked for meanwhile in one command, each answered with its own error', async () => {
    const runs: string[][] = [];
    const reads = new BatchedCommands(async (args) => {
      runs.push(args);
      if (args.length === 4) return { stdout: '', stderr: '', exitCode: 0 };
      return {
        stdout: '',
        stderr: [
          "cannot hold 'p/b/db@s': tag already exists on this dataset",
          "cannot open 'p/c': dataset does not exist",
        ].join('\n'),
        exitCode: 1,
      };
    });
    const hold = (name: string) => reads.submit(readOf(['hold', '-r', 't', name]));
    const first = hold('p/x@s');
    await new Promise((resolve) => setImmediate(resolve));
    const [a, b, c] = [hold('p/a@s'), hold('p/b@s'), hold('p/c@s')];
    expect((await first).exitCode).toBe(0);
    expect(await a).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await b).toMatchObject({
      stderr: expect.stringContaining('already exists'),
      exitCode: 1,
    });
    expect(await c).toMatchObject({ stderr: expect.stringContaining("'p/c'"), exitCode: 1 });
    expect(runs).toEqual([
      ['hold', '-r', 't', 'p/x@s'],
      ['hold', '-r', 't', 'p/a@s', 'p/b@s', 'p/c@s'],
    ]);
  });

  it('holds a snapshot alone again when a failed batch did not say which', async () => {
    const runs: string[][] = [];
    const reads = new BatchedCommands(async (args) => {
      runs.push(args);
      return args.length === 4
        ? { stdout: '', stderr: '', exitCode: 0 }
        : { stdout: '', stderr: 'internal error: out of memory', exitCode: 1 };
    });
    const hold = (name: string) => reads.submit(readOf(['hold', '-r', 't', name]));
    const answers = await Promise.all([hold('p/a@s'), hold('p/b@s')]);
    expect(answers.map((answer) => answer.exitCode)).toEqual([0, 0]);
    expect(runs.slice(1)).toEqual([
      ['hold', '-r', 't', 'p/a@s'],
      ['hold', '-r', 't', 'p/b@s'],
    ]);
  });
});
