import { AsyncLocalStorage } from 'node:async_hooks';
import type { CommandResult } from '../common/command-runner.js';

/**
 * `zfs get` and `zfs list` answers of the call being served, by arguments. One agent call reads
 * the same properties many times (the container record, the branch's generation, its sources)
 * and on zfs-fuse each read is a process of 20-40 ms; within a call the first answer serves
 * again until a command of the call changes something (any other subcommand empties it).
 */
const readsOfCall = new AsyncLocalStorage<Map<string, Promise<CommandResult>>>();

const READS = new Set(['get', 'list']);

/** Runs `work` as one call whose zfs reads are shared. */
export function withCallReads<T>(work: () => Promise<T>): Promise<T> {
  return readsOfCall.run(new Map(), work);
}

/** The answer a read with these arguments already had in this call, if any (nothing runs). */
export function knownRead(args: string[]): Promise<CommandResult> | undefined {
  return readsOfCall.getStore()?.get(args.join('\0'));
}

/** `run` (one `zfs <args>`), or the answer the same read already had in this call. */
export function readOnce(
  args: string[],
  run: () => Promise<CommandResult>,
): Promise<CommandResult> {
  const reads = readsOfCall.getStore();
  if (!reads) return run();
  if (!READS.has(args[0] ?? '')) {
    reads.clear();
    // Reads that overlap the change may have seen the state before it: they go too.
    return run().finally(() => reads.clear());
  }
  const key = args.join('\0');
  const known = reads.get(key);
  if (known) return known;
  const answer = run();
  reads.set(key, answer);
  answer.catch(() => reads.delete(key));
  return answer;
}
