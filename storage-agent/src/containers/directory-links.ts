import { randomBytes } from 'node:crypto';
import { mkdir, readlink, rename, symlink } from 'node:fs/promises';
import path from 'node:path';

// Beside the branches' mountpoints in the container dataset; ids never start with a dot.
const DIR = '.directories';

/**
 * `<container mountpoint>/.directories/<sourceId>`: a link, made and replaced by the agent only,
 * to the active branch's current copy of a directory source, so the path clients use stays the
 * same across activations, restores and refreshes (as a database's port does). Answers the link.
 */
export async function linkDirectory(
  containerDir: string,
  sourceId: string,
  target: string,
): Promise<string> {
  const dir = path.join(containerDir, DIR);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const link = path.join(dir, sourceId);
  if ((await readlink(link).catch(() => null)) === target) return link;
  // A new link renamed over the old one: readers see the old or the new target, never none.
  const next = `${link}.${randomBytes(4).toString('hex')}`;
  await symlink(target, next);
  await rename(next, link);
  return link;
}
