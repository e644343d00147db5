import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../common/command-runner.js';
import { readOnce, withCallReads } from './call-reads.js';

/** A fake `zfs` that counts its runs and answers the run's number. */
function counter() {
  let runs = 0;
  const run = (): Promise<CommandResult> =>
    Promise.resolve({ stdout: String(++runs), stderr: '', exitCode: 0 });
  return { run, runs: () => runs };
}

describe('zfs reads of one call', () => {
  it('answers the same read once per call until a command of the call changes something', async () => {
    const zfs = counter();
    const get = ['get', '-H', '-p', 'all', 'pool/bp'];
    await withCallReads(async () => {
      expect((await readOnce(get, zfs.run)).stdout).toBe('1');
      expect((await readOnce(get, zfs.run)).stdout).toBe('1');
      expect((await readOnce(['list', '-H', 'pool/bp'], zfs.run)).stdout).toBe('2');
      await readOnce(['set', 'branchpoint:x=1', 'pool/bp'], zfs.run);
      expect((await readOnce(get, zfs.run)).stdout).toBe('4');
    });
    // Each call starts afresh, and outside a call every read runs.
    await withCallReads(async () => expect((await readOnce(get, zfs.run)).stdout).toBe('5'));
    expect((await readOnce(get, zfs.run)).stdout).toBe('6');
    expect((await readOnce(get, zfs.run)).stdout).toBe('7');
  });

  it('runs a read again after it failed', async () => {
    let runs = 0;
    const failing = () =>
      ++runs === 1
        ? Promise.reject(new Error('spawn failed'))
        : Promise.resolve({ stdout: 'ok', stderr: '', exitCode: 0 });
    await withCallReads(async () => {
      await expect(readOnce(['get', 'all', 'p'], failing)).rejects.toThrow('spawn failed');
      expect((await readOnce(['get', 'all', 'p'], failing)).stdout).toBe('ok');
    });
  });
});
