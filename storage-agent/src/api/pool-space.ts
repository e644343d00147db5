import type { AgentError } from '@branchpoint/contracts';
import type { Zfs } from '../zfs/zfs.js';

/** Below this much free space under the root, a failure is most likely the full pool's doing. */
export const LOW_SPACE_BYTES = 64 * 1024 * 1024;

/**
 * A failure while the pool is (nearly) full says so, since that is the likely cause (a server
 * that cannot write its WAL stops, a clone cannot start) and what an admin has to fix.
 */
export async function explainFullPool(
  body: AgentError,
  zfs: Zfs,
  root: string,
): Promise<AgentError> {
  const value = await zfs.getValue(root, 'available').catch(() => null);
  const available = value === null ? NaN : Number(value);
  if (!Number.isFinite(available) || available >= LOW_SPACE_BYTES) return body;
  return {
    ...body,
    message: `${body.message} (the pool is full: ${Math.round(available / 1024)} KiB available below ${root})`,
  };
}
