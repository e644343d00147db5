import { ZfsError } from '../zfs/zfs.errors.js';
import type { Zfs } from '../zfs/zfs.js';

/** Algorithms the agent sets on its root, best first: OpenZFS has lz4, zfs-fuse only lzjb. */
const ALGORITHMS = ['lz4', 'lzjb'];

/**
 * Compression on the agent's root dataset, which every template, container and clone under it
 * inherits (a clone inherits from its parent, not its origin): the fresh WAL and pages a clone
 * writes cost less of the pool. A root that compresses already (an admin's choice) keeps it.
 */
export async function ensureCompression(zfs: Zfs, root: string): Promise<void> {
  if ((await zfs.getValue(root, 'compression')) !== 'off') return;
  for (const algorithm of ALGORITHMS) {
    try {
      await zfs.set(root, 'compression', algorithm);
      return;
    } catch (error) {
      // This pool does not know the algorithm: try the next.
      if (!(error instanceof ZfsError)) throw error;
    }
  }
}
