import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AgentFailure } from '../common/agent-failure.js';

/**
 * Refuses to work under a directory that other users cannot traverse: servers run as tenant
 * uids and must reach their data, socket and configuration directories below `dir`. Says which
 * directory to open (`chmod o+x`) rather than failing later at the first start of a clone.
 */
export async function assertTraversable(dir: string, what: string): Promise<void> {
  const resolved = path.resolve(dir);
  for (
    let current = path.dirname(resolved);
    current !== path.dirname(current);
    current = path.dirname(current)
  ) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0)
      throw new AgentFailure(
        500,
        'internal',
        `${current} is not traversable by other users (mode ${(info.mode & 0o777).toString(8)}), ` +
          `but clone servers run as uids of their own and must reach ${what} ${resolved}: ` +
          `chmod o+x ${current}, or choose another location`,
      );
  }
}
